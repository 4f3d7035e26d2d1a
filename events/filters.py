"""What visitors may narrow the public events by: ``/events/?kind=&county=&month=`` (the list,
the calendar and the calendar feed alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from association.filters import PublicFilterSet

from .models import Event
from .selectors import month_bounds, parse_month


class MonthField(forms.CharField):
    """``2024-05``: the first day of that month."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月份应写作“2024-05”。"), code="invalid")
        return month


class MonthFilter(django_filters.Filter):
    """Events that take place at some time in the month (begun before it or running on after it too)."""

    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.overlapping(*month_bounds(value))


class EventFilterSet(PublicFilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    county = django_filters.NumberFilter(min_value=1, max_digits=9, decimal_places=0)  # a county's id
    month = MonthFilter()

    class Meta:
        model = Event
        fields = []

    def apply(self, queryset):
        """``queryset`` narrowed by the filters that apply: the list, the calendar and the feed
        each start from their own."""
        self.form.is_valid()  # what is malformed is left out
        return self.filter_queryset(queryset)
