"""The public news pages, RSS, and staff publishing through services and the admin."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from association.models import Article, ArticleAttachment, AuditEntry
from association.services import news as news_services
from association.states import DomainError, TransitionNotAllowed
from tests.association.factories import ArticleFactory, StaffFactory, UserFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def _at(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 9, 30))


def test_news_list_shows_published_articles_newest_first_with_chinese_dates(client):
    ArticleFactory(title="乡村振兴服务队开展集中交流学习活动", published_at=_at(2021, 1, 20))
    ArticleFactory(title="化工新材料服务队在市化工研究所召开研讨会", published_at=_at(2021, 1, 27))
    html = client.get("/news/").content.decode()
    assert html.index("化工新材料服务队") < html.index("乡村振兴服务队开展")
    assert "2021年1月27日" in html and "2021年1月20日" in html


def test_drafts_are_not_listed_and_their_page_is_not_found(client):
    draft = ArticleFactory(title="尚未审定的稿件", status=Article.Status.DRAFT, published_at=None)
    assert "尚未审定的稿件" not in client.get("/news/").content.decode()
    assert client.get(f"/news/{draft.pk}/").status_code == 404


def test_staff_with_view_permission_can_preview_a_draft():
    from django.contrib.auth.models import Permission
    from django.test import Client

    draft = ArticleFactory(title="待发布的通知", status=Article.Status.DRAFT, published_at=None)
    staff = StaffFactory(username="office1")
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(staff)
    html = client.get(f"/news/{draft.pk}/").content.decode()
    assert "待发布的通知" in html and "尚未发布的草稿" in html


def test_category_filter_shows_only_that_column(client):
    ArticleFactory(title="关于开展全国科技工作者日活动的通知", category=Article.Category.NOTICE)
    ArticleFactory(title="科普日活动启动", category=Article.Category.POPSCI)
    html = client.get("/news/", {"category": "notice"}).content.decode()
    assert "关于开展全国科技工作者日活动的通知" in html
    assert "科普日活动启动" not in html
    assert '<h1 class="h4 page-title">通知公告</h1>' in html


def test_unknown_category_in_the_address_is_ignored(client):
    ArticleFactory(title="科普日活动启动")
    response = client.get("/news/", {"category": "<b>x</b>", "page": "abc"})
    assert response.status_code == 200
    assert "科普日活动启动" in response.content.decode()


def test_news_list_paginates_twenty_a_page(client):
    ArticleFactory.create_batch(25)
    first = client.get("/news/").content.decode()
    second = client.get("/news/", {"page": 2}).content.decode()
    assert first.count('class="h6 mb-1 news-title"') == 20
    assert second.count('class="h6 mb-1 news-title"') == 5
    assert "第 2 / 2 页" in second


def test_pinned_article_comes_first_with_a_mark(client):
    old = ArticleFactory(title="市科协2020年度工作排名第一", published_at=_at(2021, 1, 11))
    ArticleFactory(title="较新的一条新闻", published_at=_at(2021, 2, 1))
    news_services.set_pinned(article_id=old.pk, pinned=True)
    html = client.get("/news/").content.decode()
    assert html.index("市科协2020年度工作排名第一") < html.index("较新的一条新闻")
    assert "置顶" in html


def test_article_page_shows_title_date_source_and_body(client):
    article = ArticleFactory(
        title="濮阳市入选全国首批“科创中国”创新枢纽城市试点市",
        body="<p>2020年6月4日，濮阳市被中国科协确定为首批试点市（全国22个）。</p>",
        published_at=_at(2020, 6, 4), source="濮阳市科协", author="本通",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1 class=\"article-title text-center\">濮阳市入选全国首批“科创中国”创新枢纽城市试点市</h1>" in html
    assert "发布时间：<time datetime=\"2020-06-04T09:30:00+08:00\">2020年6月4日</time>" in html
    assert "来源：濮阳市科协" in html and "作者：本通" in html
    assert "<p>2020年6月4日，濮阳市被中国科协确定为首批试点市（全国22个）。</p>" in html


def test_article_page_links_to_older_and_newer_articles(client):
    older = ArticleFactory(title="较早的新闻", published_at=_at(2020, 1, 1))
    middle = ArticleFactory(title="中间的新闻", published_at=_at(2020, 2, 1))
    newer = ArticleFactory(title="较新的新闻", published_at=_at(2020, 3, 1))
    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'上一篇：<a href="{newer.get_absolute_url()}">较新的新闻</a>' in html
    assert f'下一篇：<a href="{older.get_absolute_url()}">较早的新闻</a>' in html


def test_attachment_downloads_under_its_chinese_name(client, media_root):
    article = ArticleFactory()
    attachment = ArticleAttachment(article=article, title="服务团成员名单")
    news_services.prepare_attachment(attachment, SimpleUploadedFile("名单.pdf", pdf_bytes()))
    attachment.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "服务团成员名单.pdf" in html
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "%E6%9C%8D%E5%8A%A1%E5%9B%A2" in response["Content-Disposition"]  # 服务团, RFC 5987
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachment_of_a_draft_is_not_downloadable(client, media_root):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    attachment = ArticleAttachment(article=draft)
    news_services.prepare_attachment(attachment, SimpleUploadedFile("a.pdf", pdf_bytes()))
    attachment.save()
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_rss_feed_lists_published_news_and_escapes_summaries(client):
    ArticleFactory(title="全国科普日活动启动", summary="300余场活动 <script>alert(1)</script>")
    ArticleFactory(title="草稿不进订阅", status=Article.Status.DRAFT, published_at=None)
    response = client.get("/news/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    xml = response.content.decode()
    assert "<title>全国科普日活动启动</title>" in xml
    assert "草稿不进订阅" not in xml
    assert "<script>" not in xml and "&amp;lt;script&amp;gt;" in xml


# -- publishing ---------------------------------------------------------------------------


def test_publishing_a_draft_sets_the_time_and_records_the_transition():
    staff = UserFactory(username="office2")
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    news_services.publish_article(article_id=draft.pk, actor=staff)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TRANSITION, object_id=str(draft.pk))
    assert (entry.from_state, entry.to_state, entry.actor) == ("draft", "published", staff)


def test_publishing_keeps_a_publish_time_staff_set_for_an_old_story():
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=_at(2020, 12, 28))
    news_services.publish_article(article_id=draft.pk)
    draft.refresh_from_db()
    assert timezone.localtime(draft.published_at).date().isoformat() == "2020-12-28"


def test_publishing_twice_is_refused_with_a_chinese_message():
    article = ArticleFactory(title="已发布的新闻")
    with pytest.raises(TransitionNotAllowed, match="“已发布的新闻”当前为“已发布”，不能变为“已发布”"):
        news_services.publish_article(article_id=article.pk)


def test_withdrawing_an_article_unpins_it_and_hides_it(client):
    article = ArticleFactory(title="撤回的新闻")
    news_services.set_pinned(article_id=article.pk, pinned=True)
    news_services.unpublish_article(article_id=article.pk)
    article.refresh_from_db()
    assert (article.status, article.pinned) == (Article.Status.DRAFT, False)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_draft_cannot_be_pinned():
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(DomainError, match="尚未发布，不能置顶"):
        news_services.set_pinned(article_id=draft.pk, pinned=True)


def test_admin_actions_publish_and_pin_selected_articles(admin_client):
    drafts = ArticleFactory.create_batch(2, status=Article.Status.DRAFT, published_at=None)
    url = reverse("admin:association_article_changelist")
    response = admin_client.post(
        url, {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]}, follow=True
    )
    assert "已发布 2 篇。" in response.content.decode()
    response = admin_client.post(url, {"action": "pin_selected", "_selected_action": [drafts[0].pk]}, follow=True)
    assert "已置顶 1 篇。" in response.content.decode()
    assert Article.objects.filter(status="published").count() == 2
    assert Article.objects.get(pk=drafts[0].pk).pinned


def test_admin_publish_button_on_the_change_form(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    page = admin_client.get(reverse("admin:association_article_change", args=[draft.pk])).content.decode()
    assert ">发布</button>" in page
    url = reverse("admin:association_article_transition", args=[draft.pk, "publish"])
    response = admin_client.post(url, follow=True)
    assert "已发布。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published


def test_admin_changelist_searches_with_the_chinese_index(admin_client):
    ArticleFactory(title="乡村振兴服务队学习活动")
    ArticleFactory(title="化工新材料研讨会")
    html = admin_client.get(reverse("admin:association_article_changelist"), {"q": "振兴"}).content.decode()
    assert "乡村振兴服务队学习活动" in html and "化工新材料研讨会" not in html


def test_staff_create_an_article_with_cover_and_attachment_in_the_admin(admin_client, media_root):
    from tests.association.factories import image_upload

    response = admin_client.post(
        reverse("admin:association_article_add"),
        {
            "title": "科普日活动启动", "category": "popsci", "summary": "", "body": "<p>活动在开发区实验学校启动。</p>",
            "new_cover": image_upload("现场.jpg"), "cover_caption": "启动仪式现场", "source": "濮阳市科协",
            "author": "", "published_at_0": "", "published_at_1": "",
            "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-title": "", "attachments-0-order": "0",
            "attachments-0-file": SimpleUploadedFile("活动方案.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="科普日活动启动")
    assert article.status == Article.Status.DRAFT
    assert article.cover.name.endswith(".jpg") and "现场" not in article.cover.name
    assert article.cover_thumb and article.cover_card
    attachment = article.attachments.get()
    assert attachment.title == "活动方案.pdf" and attachment.extension == ".pdf"
    assert "活动方案" not in attachment.file.name


def test_admin_refuses_a_fake_image_with_a_message_at_the_field_and_keeps_the_text(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:association_article_add"),
        {
            "title": "保留的标题", "category": "news", "body": "<p>保留的正文</p>",
            "new_cover": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is an executable"),
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“photo.jpg”不是有效的图片" in html
    assert 'value="保留的标题"' in html
    assert not Article.objects.exists()


def test_admin_refuses_a_truncated_pdf_attachment_with_a_chinese_message(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:association_article_add"),
        {
            "title": "附件不完整的通知", "category": "notice", "body": "<p>正文</p>",
            "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-title": "", "attachments-0-order": "0",
            # a download cut off halfway: the header is there, the end-of-file marker is not
            "attachments-0-file": SimpleUploadedFile("报名表.pdf", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n" + b"0" * 4096),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“报名表.pdf”不是完整的 PDF 文件（缺少文件结尾，可能没有下载或导出完），请重新导出后再上传。" in html
    assert 'value="附件不完整的通知"' in html
    assert not Article.objects.exists() and not ArticleAttachment.objects.exists()


def test_an_automatic_summary_follows_the_body_when_staff_edit_it(admin_client):
    article = ArticleFactory(summary="", body="<p>旧的正文内容。</p>")
    assert article.summary == "旧的正文内容。"
    admin_client.post(
        reverse("admin:association_article_change", args=[article.pk]),
        {
            "title": article.title, "category": article.category, "summary": article.summary,
            "body": "<p>新的正文内容。</p>", "source": "", "author": "", "cover_caption": "",
            "published_at_0": "2020-09-18", "published_at_1": "09:00:00",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
        },
    )
    article.refresh_from_db()
    assert article.summary == "新的正文内容。"


def test_leader_looking_at_an_article_sees_no_english_upload_labels(client):
    from django.contrib.auth.models import Group

    from association import roles

    leader = StaffFactory()
    leader.groups.add(Group.objects.get(name=roles.LEADERS))
    client.force_login(leader)
    article = ArticleFactory(title="领导查看的新闻")
    html = client.get(f"/admin/association/article/{article.pk}/change/").content.decode()
    assert "领导查看的新闻" in html
    assert "New cover" not in html and "Remove cover" not in html
