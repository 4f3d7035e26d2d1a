"""Resolvers that many API schemas share, one line each in a schema:

    kind_label: str
    resolve_kind_label = display("kind")     # the choice's Chinese label, as the pages show it
    county: str | None
    resolve_county = name_of("county")        # a related row's name, None when there is none
    url: str
    resolve_url = page_url                    # the row's public page, absolute on SITE_URL
"""

from .core import site_url


def display(field: str) -> staticmethod:
    return staticmethod(lambda obj: str(getattr(obj, f"get_{field}_display")()))


def name_of(relation: str) -> staticmethod:
    def resolve(obj):
        # A missing relation reads its id only (no query); a present one was selected with the row.
        if getattr(obj, f"{relation}_id") is None:
            return None
        return getattr(obj, relation).name

    return staticmethod(resolve)


page_url = staticmethod(lambda obj: site_url(obj.get_absolute_url()))
