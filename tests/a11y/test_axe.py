"""axe-core (WCAG 2.1 A and AA) on every public page, both public forms after an empty
submit, a volunteer's own page, the leaders' dashboard and the main staff pages, with the
demo data: the suite fails on any critical or serious violation."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.a11y.axe import describe, require_axe, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_ok(client, urls):
    """The first of ``urls`` the site answers with a page (200)."""
    for url in urls:
        if client.get(url).status_code == 200:
            return url
    raise AssertionError(f"none of these pages opens: {list(urls)[:3]}…")


def public_pages():
    from association.models import Article, Page
    from events.models import Event
    from talents.models.awards import AwardRound
    from talents.models.demands import TechDemand
    from volunteers.models import ServiceProject

    client = Client()
    events = Event.objects.order_by("-start").values_list("pk", flat=True)[:40]
    return {
        "首页": "/",
        "新闻列表": "/news/",
        "新闻": f"/news/{Article.objects.filter(status='published').order_by('-published_at').first().pk}/",
        "关于": "/about/",
        "关于栏目": f"/about/{Page.objects.order_by('pk').first().slug}/",
        "组织体系": "/organizations/",
        "开放数据": "/open-data/",
        "活动列表": "/events/",
        "活动日历": "/events/calendar/",
        "活动": first_ok(client, (f"/events/{pk}/" for pk in events)),
        "活动报名": first_ok(client, (f"/events/{pk}/register/" for pk in events)),
        "志愿者注册": "/volunteers/register/",
        "服务队伍": "/volunteers/teams/",
        "服务项目": "/volunteers/projects/",
        "点单": first_ok(client, (f"/volunteers/projects/{pk}/order/"
                                for pk in ServiceProject.objects.values_list("pk", flat=True))),
        "证书查验": "/volunteers/certificates/verify/",
        "专家库": "/talents/experts/",
        "奖项": "/talents/awards/",
        "届次": first_ok(client, (f"/talents/awards/{pk}/"
                                for pk in AwardRound.objects.order_by("-pk").values_list("pk", flat=True))),
        "技术需求": "/talents/demands/",
        "技术需求详情": first_ok(client, (f"/talents/demands/{pk}/"
                                    for pk in TechDemand.objects.values_list("pk", flat=True)[:40])),
        "发布需求": "/talents/demands/new/",
        "登录": "/accounts/login/",
        "找回密码": "/accounts/password-reset/",
        "开放接口": "/api/v1/docs/",
    }


EDITOR_SETTLED = """() => {
  const editors = [...document.querySelectorAll('textarea')].filter(
    t => [...t.attributes].some(a => a.name.startsWith('data-django-prose-editor')));
  if (!editors.length) return true;
  const buttons = [...document.querySelectorAll('.prose-menubar__button.material-icons')];
  const undo = document.querySelector('.prose-menubar__button[title="撤销"]');
  return buttons.length > 0 && undo !== null && undo.classList.contains('disabled')
    && getComputedStyle(undo).color !== 'rgb(205, 205, 205)'
    && buttons.every(b => [...b.childNodes].every(n => n.nodeType !== Node.TEXT_NODE || !n.textContent.trim()));
}"""


def log_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": page.base_url}])


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    call_command("ensure_demo_admin", stdout=io.StringIO())


def test_no_critical_or_serious_violation_on_public_staff_and_form_pages(page, demo):
    from django.contrib.auth import get_user_model

    from volunteers.models import Volunteer

    require_axe()
    User = get_user_model()
    found = {}

    def check(name, url=None):
        if url:
            page.goto(page.base_url + url)
        page.wait_for_load_state("load")
        # The rich-text editor builds its toolbar after the load event and then hides the
        # icons' ligature text from screen readers (prose-editor-zh.js, in the next frame):
        # check the page as a person meets it, once that is done.
        page.wait_for_function(EDITOR_SETTLED, timeout=10_000)
        found[name] = violations(page)

    pages = public_pages()
    for name, url in pages.items():
        check(name, url)

    # Both public forms after an empty submit.
    for name, url in (("志愿者注册（空提交）", pages["志愿者注册"]), ("活动报名（空提交）", pages["活动报名"])):
        page.goto(page.base_url + url)
        page.evaluate("() => document.querySelectorAll('form[method=post] [required]')"
                      ".forEach(el => el.removeAttribute('required'))")
        page.locator("main form[method=post] [type=submit]").last.click()
        check(name)

    volunteer = Volunteer.objects.filter(user__isnull=False).order_by("pk").first()
    log_in(page, volunteer.user)
    check("收件箱", "/accounts/inbox/")
    check("我的", "/accounts/me/")

    log_in(page, User.objects.get(username="leader"))
    check("统计看板", "/dashboard/")

    log_in(page, User.objects.get(username="admin"))
    check("管理首页", "/admin/")
    check("志愿者列表", "/admin/volunteers/volunteer/")
    check("活动列表（管理）", "/admin/events/event/")
    check("新闻列表（管理）", "/admin/association/article/")
    check("新闻编辑", "/admin/association/article/add/")

    counts = {name: sum(len(v["nodes"]) for v in vs) for name, vs in found.items()}
    print("\naxe critical+serious nodes by page:", counts)
    report = "\n".join(describe(name, vs) for name, vs in found.items() if vs)
    assert not report, "axe-core (WCAG 2.1 AA) found critical or serious problems:\n" + report
