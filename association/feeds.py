"""RSS of the latest published news (/news/feed/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape

from .models import Article, SiteSettings

FEED_ITEMS = 30


class LatestNewsFeed(Feed):
    description_template = None

    def title(self):
        return f"{SiteSettings.load().name} · 新闻动态"

    def link(self):
        return reverse("news-list")

    def description(self):
        return f"{SiteSettings.load().name}发布的新闻、通知公告与科普动态"

    def items(self):
        return Article.objects.published().listing().order_by("-published_at", "-id")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers render a description as HTML: the plain-text summary is escaped so
        # that whatever it contains shows as text.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return [item.get_category_display()]

    def item_author_name(self, item):
        return item.author or None
