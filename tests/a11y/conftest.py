import pytest


@pytest.fixture
def page(browser, live_server):
    """As the suite's ``page``, with the site's Content-Security-Policy bypassed so that
    Playwright can inject axe-core (the pages themselves run under it unchanged)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()
