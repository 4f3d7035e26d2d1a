from django.utils.functional import SimpleLazyObject

from . import extensions, fragments
from .models import SiteSettings


def navigation() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(key, label, address, prefixes) of the main navigation, as the core and the apps
    registered it (``extensions.link("nav", …)``)."""
    return [(entry.key, entry.label, entry.href, entry.prefixes) for entry in extensions.links("nav")]


def current_item(path: str, items) -> str:
    for key, _label, href, prefixes in items:
        if path == href or any(path.startswith(prefix) for prefix in prefixes):
            return key
    return ""


def site(request):
    items = navigation()
    return {
        # The particulars every page shows, kept in the worker until staff change them.
        "site": fragments.kept(request, "site-settings", "site", SiteSettings.load),
        "navigation": items,
        "nav_current": current_item(request.path, items),
        "join_links": extensions.links("join"),
        "account_links": SimpleLazyObject(lambda: account_links(request.user)),
        "fragments": fragments.versions(request),
    }


def account_links(user) -> list[tuple[str, str]]:
    """Where a logged-in user may go from the top bar, as the apps registered it."""
    if not user.is_authenticated:
        return []
    return [(str(label), url) for entry in extensions.account_links() for label, url in entry.func(user)]
