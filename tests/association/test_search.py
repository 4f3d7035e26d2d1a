"""Chinese search: bigrams in, phrases out, and what a reader finds with ?q=."""

import pytest

from association.chinese_search import document_vector, query_text
from association.models import Article
from tests.association.factories import ArticleFactory


def test_document_vector_is_overlapping_bigrams_and_the_last_character():
    assert document_vector("科普日活动") == "'动' '日活' '普日' '活动' '科普'"


def test_document_vector_carries_the_category():
    assert "'@popsci'" in document_vector("科普日", category="popsci")


def test_full_width_letters_and_case_are_folded():
    assert document_vector("Ｙｏｔｔａ 生态") == "'yotta' '态' '生态'"


def test_query_of_four_characters_requires_all_its_bigrams():
    assert query_text("乡村振兴") == "'乡村' & '村振' & '振兴'"


def test_query_within_a_category_requires_the_category_lexeme():
    assert query_text("化工", category="society") == "'化工' & '@society'"


def test_query_of_one_character_is_a_prefix():
    assert query_text("兴") == "兴:*"


def test_words_separated_by_spaces_are_all_required():
    assert query_text("化工  南乐") == "'化工' & '南乐'"


def test_mixed_query_of_chinese_and_latin():
    assert query_text("科普e站") == "'科普' & 'e' & 站:*"


def test_punctuation_and_markup_in_a_query_give_nothing_to_inject():
    assert query_text("'); DROP TABLE x; --") == "'drop' & 'table' & 'x'"
    assert query_text("!!! ？？") == ""


@pytest.mark.django_db
class TestSearchPage:
    def _titles(self, client, q, **params):
        response = client.get("/news/", {"q": q, **params})
        return [a.title for a in response.context["page_obj"]]

    def test_a_two_character_word_finds_every_article_that_contains_it(self, client):
        ArticleFactory(title="全国科普日活动启动", body="<p>活动300余场。</p>")
        ArticleFactory(title="服务团成立", body="<p>依托科普e站开展服务。</p>")
        ArticleFactory(title="化工新材料研讨会", body="<p>共16人参会。</p>")
        assert sorted(self._titles(client, "科普")) == ["全国科普日活动启动", "服务团成立"]

    def test_a_four_character_word_is_not_found_from_its_characters_scattered(self, client):
        ArticleFactory(title="乡村振兴服务队学习", body="<p>助力乡村振兴。</p>")
        ArticleFactory(title="振兴乡村的另一种说法", body="<p>乡村的发展，振兴的希望。</p>")
        assert self._titles(client, "乡村振兴") == ["乡村振兴服务队学习"]

    def test_a_single_character_is_found_at_the_end_of_a_run(self, client):
        ArticleFactory(title="服务团赴南乐", body="<p>调研企业。</p>")
        assert self._titles(client, "乐") == ["服务团赴南乐"]

    def test_search_reads_the_body_and_ignores_its_markup(self, client):
        ArticleFactory(title="一则新闻", body="<p>北京中科星链大数据技术研究院<strong>Yotta</strong>生态基地</p>")
        assert self._titles(client, "yotta生态") == ["一则新闻"]
        assert self._titles(client, "strong") == []

    def test_search_within_a_category(self, client):
        ArticleFactory(title="化工学会年会", category=Article.Category.SOCIETY)
        ArticleFactory(title="化工企业调研", category=Article.Category.GRASSROOTS)
        assert self._titles(client, "化工", category="society") == ["化工学会年会"]

    def test_drafts_are_never_found(self, client):
        ArticleFactory(title="科普草稿", status=Article.Status.DRAFT, published_at=None)
        assert self._titles(client, "科普") == []

    def test_the_reader_is_told_how_many_were_found_or_that_none_were(self, client):
        ArticleFactory(title="科普大篷车进校园")
        assert "包含“大篷车”的新闻共 1 篇" in client.get("/news/", {"q": "大篷车"}).content.decode()
        assert "没有找到包含“院士”的新闻" in client.get("/news/", {"q": "院士"}).content.decode()

    def test_a_common_word_is_counted_only_up_to_the_cap(self, client, monkeypatch):
        from association import selectors

        monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
        ArticleFactory.create_batch(8, title="科普活动")
        html = client.get("/news/", {"q": "科普"}).content.decode()
        assert "超过 5 篇" in html
        assert client.get("/news/", {"q": "科普", "page": 2}).context["page_obj"].number == 1  # only one page
