"""What visitors may narrow the public lists by: the expert directory and the demands.

The reference lists (fields, committees, counties) come from the cached choices the page
already holds, so a filtered page costs no query beyond its own rows.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.choices import TitleLevel
from association.filters import PublicFilterSet

from .models import Industry, Registry, TechDemand


def _id(label):
    return django_filters.TypedChoiceFilter(label=label, coerce=int, empty_value=None)


class ExpertFilter(PublicFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), max_length=50, method="search")
    field = _id(_("专业领域"))
    level = django_filters.TypedChoiceFilter(
        label=_("职称级别"), field_name="title_level", coerce=int, empty_value=None,
        choices=[c for c in TitleLevel.choices if c[0] != TitleLevel.NONE],
    )
    registry = django_filters.ChoiceFilter(label=_("所属名录"), choices=Registry.choices, empty_label=None, method="in_registry")
    committee = _id(_("专业委员会"))
    county = _id(_("所在县（区）"))

    choices_per_instance = True  # fields, committees and counties come from the data

    def __init__(self, data=None, *, queryset, choices: dict[str, list[tuple[int, str]]], **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        for name in ("field", "committee", "county"):
            self.filters[name].extra["choices"] = choices[name]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(employer__icontains=value) | Q(specialty__icontains=value))

    def in_registry(self, queryset, name, value):
        return queryset.in_registry(value)


class DemandFilter(PublicFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), max_length=50, method="search")
    kind = django_filters.ChoiceFilter(label=_("需求类型"), choices=TechDemand.Kind.choices, empty_label=None)
    industry = django_filters.ChoiceFilter(label=_("所属行业"), choices=Industry.choices, empty_label=None)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=[(s.value, s.label) for s in TechDemand.PUBLIC_STATES], empty_label=None,
    )

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value) | Q(enterprise_name__icontains=value))
