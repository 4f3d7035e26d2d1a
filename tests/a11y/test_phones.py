"""Phones: at 320, 360 and 375 px no public page scrolls sideways and no visible link,
button or field is smaller than 24 × 24 px (links inside a sentence are exempt, as WCAG
2.5.8 allows); section pages put their content before the section menu; the home page's
pictures do not move on their own."""

import pytest

from tests.a11y.test_axe import demo, public_pages  # noqa: F401  (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 360, 375)

SMALL_TARGETS = """() => {
  const small = []
  const inSentence = el => {
    const style = getComputedStyle(el)
    if (el.tagName !== "A" || !style.display.startsWith("inline") || style.display === "inline-block") return false
    const block = el.parentElement.closest("p, li, dd, td, small, .form-text, label, .alert, figcaption, span, div")
    return block && block.textContent.trim().length > el.textContent.trim().length
  }
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea")) {
    const r = el.getBoundingClientRect()
    if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") continue
    if (el.closest(".visually-hidden, [aria-hidden=true], #div_id_website, .hp-field, .skip-link")) continue
    if (r.right < 0 || r.bottom < 0) continue
    if ((r.width < 23.5 || r.height < 23.5) && !inSentence(el)) {
      small.push(`${el.tagName.toLowerCase()} “${(el.textContent || el.name || el.getAttribute("aria-label") || "").trim().slice(0, 20)}” ${Math.round(r.width)}×${Math.round(r.height)}`)
    }
  }
  return small
}"""


@pytest.fixture
def phone(browser, live_server):
    contexts = []

    def open_at(width):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True,
                                      viewport={"width": width, "height": 740}, device_scale_factor=2)
        context.set_default_timeout(15000)
        contexts.append(context)
        pg = context.new_page()
        pg.base_url = live_server.url
        return pg

    yield open_at
    for context in contexts:
        context.close()


def test_no_public_page_scrolls_sideways_or_has_small_touch_targets_on_phones(phone, demo):  # noqa: F811
    pages = public_pages()
    problems = []
    for width in WIDTHS:
        page = phone(width)
        for name, url in pages.items():
            page.goto(page.base_url + url)
            sizes = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1]:
                problems.append(f"{width}px {name} {url}: 页面宽 {sizes[0]}px，横向滚动")
            for target in page.evaluate(SMALL_TARGETS):
                problems.append(f"{width}px {name} {url}: 触控目标过小 {target}")
    assert not problems, "\n".join(problems[:80]) + f"\n（共 {len(problems)} 处）"


def test_section_pages_show_their_content_before_the_section_menu_on_a_phone(phone, demo):  # noqa: F811
    page = phone(375)
    for url in ("/volunteers/register/", "/news/", "/about/"):
        page.goto(page.base_url + url)
        main_top = page.locator("main h1, h1").first.bounding_box()["y"]
        menu_top = page.locator("main aside, aside").first.bounding_box()["y"]
        assert main_top < menu_top, f"{url}: 栏目菜单在正文之前"
    page.goto(page.base_url + "/volunteers/register/")
    assert page.locator("#id_name").bounding_box()["y"] < 2 * 740, "志愿者注册表单应在前两屏内开始"


def test_the_home_pictures_do_not_move_on_their_own(page, demo):  # noqa: F811
    page.goto(page.base_url + "/")
    carousel = page.locator("#featured-news")
    if carousel.count() == 0:
        pytest.skip("no pictures on the home page")
    first = carousel.locator(".carousel-item.active").inner_text()
    page.wait_for_timeout(7000)
    assert carousel.locator(".carousel-item.active").inner_text() == first
