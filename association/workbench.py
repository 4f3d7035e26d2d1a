"""The staff workbench on the admin index: what waits for the person, with counts and links.

Apps contribute the items (``extensions.workbench_item``); this module only keeps those the
person may act on, counts them (one query each) and keeps the answer for a short while.
"""

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from . import extensions

SECONDS = 30


def _href(item) -> str:
    try:
        base = item.url if item.url.startswith("/") else reverse(item.url)
    except NoReverseMatch:
        return ""
    return f"{base}?{item.query}" if item.query else base


def items_for(user) -> list[dict]:
    """[{label, count, url}] of the items the user has the right to, in order; cached per
    person for ``SECONDS``."""
    if not user.is_authenticated or not user.is_staff:
        return []
    key = f"workbench:{user.pk}"
    found = cache.get(key)
    if found is None:
        found = [
            {"label": str(item.label), "count": item.count(user), "url": _href(item)}
            for item in extensions.workbench_items()
            if user.has_perm(item.permission)
        ]
        cache.set(key, found, SECONDS)
    return found
