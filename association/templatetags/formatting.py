"""Dates and numbers in templates, the same way as in Python (``association.formatting``)."""

from django import template

from .. import formatting

register = template.Library()

register.filter("chinese_date", formatting.chinese_date)
register.filter("chinese_datetime", formatting.chinese_datetime)
register.filter("chinese_month", formatting.chinese_month)
register.filter("chinese_month_day", formatting.chinese_month_day)
register.filter("chinese_year", formatting.chinese_year)
register.filter("chinese_numeral", formatting.chinese_numeral)
register.filter("format_number", formatting.format_number)
