from django import template

from ..dates import cn_number as _cn_number

register = template.Library()


@register.filter
def cn_number(value):
    """{{ round.number|cn_number }} → 五"""
    try:
        return _cn_number(int(value))
    except (TypeError, ValueError):
        return value
