from django import template

from association.models.accounts import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """``{{ user|person_name }}``: 王芳, not Django's "芳 王"."""
    return _person_name(user)
