"""Public lists filtered from their address, one way for every app (django-filter).

A list page declares a ``PublicFilterSet`` of what visitors may narrow it by. A value that
is malformed in the address (an unknown category, a county that is no number, a month
from another century) is dropped and the rest apply: a shared or hand-edited link shows
the list, never an error page. ``query(**changes)`` writes the address of the same list
with some filters changed, for pages, months and the "clear" links.
"""

from urllib.parse import urlencode

import django_filters
from django.utils.functional import cached_property


class PublicFilterSet(django_filters.FilterSet):
    # A filter set whose filters' choices are set per instance (from the data) says so: its
    # form class is made anew each time. The others make it once per process.
    choices_per_instance = False
    _form_classes: dict = {}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def get_form_class(self):
        if self.choices_per_instance:
            return super().get_form_class()
        cls = type(self)
        form_class = PublicFilterSet._form_classes.get(cls)
        if form_class is None:
            form_class = PublicFilterSet._form_classes[cls] = super().get_form_class()
        return form_class

    @cached_property
    def values(self) -> dict:
        """The filters that apply: valid and not empty (the form is validated once)."""
        self.errors  # noqa: B018 - validates the form
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [], ())}

    def raw(self, name: str) -> str:
        """What the address said for a filter that applies, as it was written there."""
        return str(self.data.get(name, "")) if name in self.values else ""

    def query(self, **changes) -> str:
        params = {name: self.raw(name) for name in self.filters}
        params.update({k: "" if v is None else v for k, v in changes.items()})
        return urlencode({k: v for k, v in params.items() if v != ""})
