from django.utils.functional import SimpleLazyObject

from . import extensions
from .models import SiteSettings

# (key, label, address, every path under this prefix highlights the item)
NAVIGATION = [
    ("home", "首页", "/", None),
    ("news", "新闻动态", "/news/", "/news/"),
    ("events", "活动", "/events/", "/events/"),
    ("volunteers", "志愿服务", "/volunteers/teams/", "/volunteers/"),
    ("talents", "人才与奖项", "/talents/experts/", "/talents/"),
    ("about", "关于我们", "/about/", "/about/"),
]


def site(request):
    path = request.path
    current = "home" if path == "/" else ""
    for key, _label, _url, prefix in NAVIGATION:
        if prefix and path.startswith(prefix):
            current = key
    if path.startswith("/organizations/"):
        current = "about"
    return {
        "site": SiteSettings.load(),
        "navigation": NAVIGATION,
        "nav_current": current,
        "account_links": SimpleLazyObject(lambda: account_links(request.user)),
    }


def account_links(user) -> list[tuple[str, str]]:
    """Where a logged-in user may go from the top bar, as the apps registered it."""
    if not user.is_authenticated:
        return []
    return [(str(label), url) for entry in extensions.account_links() for label, url in entry.func(user)]
