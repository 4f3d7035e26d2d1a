"""``{% icon "name" %}`` or ``{% icon name "me-1 text-success" %}``: a glyph of the sprite
(association/icons.py), hidden from screen readers (the text beside it says what it means).
A builtin (settings TEMPLATES), so templates need no ``{% load %}``."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from association.icons import SPRITE

register = template.Library()


@register.simple_tag
def icon(name, css=""):
    return format_html(
        '<svg class="bi{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "", static(SPRITE), name,
    )
