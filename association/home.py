"""The core's contributions to the home page: the news block, figures at a glance."""

from . import extensions, selectors


@extensions.home_block(order=10, template="association/blocks/news.html")
def news_block(request) -> dict:
    return selectors.home_news()


@extensions.home_block(order=80, template="association/blocks/figures.html")
def figures_block(request) -> dict:
    return {"figures": selectors.headline_figures()}


@extensions.headline_figure(order=10)
def core_figures():
    return selectors.core_figures()
