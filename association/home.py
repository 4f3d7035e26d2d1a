"""The core's contributions to every page: the news block and figures at a glance on the
home page, and the staff's way to the admin and the leaders' dashboard in the top bar."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import extensions, selectors
from .reports.views import can_view_dashboard


@extensions.home_block(order=10, template="association/blocks/news.html")
def news_block(request) -> dict:
    return selectors.home_news()


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
