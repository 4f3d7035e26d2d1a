import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_page_renders_in_chromium_with_navigation(page):
    page.goto(page.base_url + "/organizations/")
    assert page.locator("nav[aria-label='主导航']").get_by_role("link", name="新闻动态").is_visible()
    assert page.get_by_role("heading", name="组织体系").is_visible()
