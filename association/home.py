"""The core's contributions to every page: the news block and figures at a glance on the
home page, and the staff's way to the admin and the leaders' dashboard in the top bar."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from . import extensions, selectors
from .reports.views import can_view_dashboard


@extensions.home_block(order=10, template="association/blocks/news.html")
def news_block(request) -> dict:
    return {**selectors.home_news(), "quick_links": extensions.links("quick")}


@extensions.home_block(order=80, template="association/blocks/figures.html")
def figures_block(request) -> dict:
    return {"figures": selectors.headline_figures()}


@extensions.headline_figure(order=10)
def core_figures():
    return selectors.core_figures()


@extensions.account_link(order=10)
def staff_links(user):
    links = []
    if user.is_staff:
        links.append((_("管理后台"), reverse("admin:index")))
    if can_view_dashboard(user):
        links.append((_("工作数据看板"), reverse("reports:dashboard")))
    return links


# The core's own entries in the navigation and the home page's 便民服务, its cached pages
# and its private links; each app adds its own the same way.
extensions.link("nav", order=10, key="home", label=_l("首页"), url="home")
extensions.link("nav", order=20, key="news", label=_l("新闻动态"), url="news-list", prefixes=("/news/",))
extensions.link("nav", order=90, key="about", label=_l("关于我们"), url="about", prefixes=("/about/", "/organizations/"))
extensions.link("quick", order=90, key="organizations", label=_l("组织体系"), url="organizations", icon="diagram-3")
for page in ("home", "news-list", "news-detail", "organizations"):
    extensions.cached_page(page)
# The open API's public answers, like the pages they mirror (an article's forgotten with it).
for page in ("api-v1:news", "api-v1:news_item", "api-v1:organizations", "api-v1:organization"):
    extensions.cached_page(page)
# What the kept parts of pages show (association.fragments): the masthead and footer, the
# news, the units and counties named in lists.
extensions.fragment_topic("site", "association.SiteSettings")
extensions.fragment_topic("news", "association.Article", "association.ArticleAttachment")
extensions.fragment_topic("organizations", "association.Organization", "association.County")
# Reads that tolerate a few seconds' delay (association/dbrouting.py): the heavy public
# lists and the leaders' dashboard; never a form, a sign-up or a counter.
for page in ("home", "news-list", "news-feed", "organizations", "reports:dashboard",
             "/api/v1/news/", "/api/v1/organizations/"):
    extensions.replica_read(page)
extensions.private_link(r"(/accounts/reset/)[^/?#\s\"']+/[^/?#\s\"']+")
