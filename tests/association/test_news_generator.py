"""Synthetic news for benchmarks: deterministic, resumable, searchable."""

import io

import pytest

from association import demo_news
from association.models import Article

pytestmark = pytest.mark.django_db


def test_generate_news_is_deterministic_and_runs_twice_without_duplicates(monkeypatch, media_root):
    monkeypatch.setitem(demo_news.SIZES, "small", 300)
    demo_news.generate_news("small", io.StringIO())
    synthetic = Article.objects.filter(source=demo_news.SYNTHETIC_SOURCE)
    first = list(synthetic.order_by("id").values_list("title", "category", "published_at")[:50])
    assert synthetic.count() == 300
    demo_news.generate_news("small", io.StringIO())
    assert synthetic.count() == 300

    synthetic.delete()
    demo_news.generate_news("small", io.StringIO())
    assert list(synthetic.order_by("id").values_list("title", "category", "published_at")[:50]) == first


def test_synthetic_articles_are_found_by_search_like_saved_ones(monkeypatch, media_root):
    monkeypatch.setitem(demo_news.SIZES, "small", 200)
    demo_news.generate_news("small", io.StringIO())
    hits = Article.objects.published().search("科普").filter(source=demo_news.SYNTHETIC_SOURCE)
    with_word = [a for a in Article.objects.published().filter(source=demo_news.SYNTHETIC_SOURCE)
                 if "科普" in a.title + a.body]
    assert hits.count() == len(with_word) > 0
    article = hits.first()
    vector = article.search_vector
    article.save()
    article.refresh_from_db()
    assert article.search_vector == vector
