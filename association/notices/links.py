"""Where a person finds their notices: 我的消息 in the top bar, and a section on the
volunteer's own page with the unread count and the latest messages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .. import extensions
from . import service


@extensions.account_link(order=90)
def inbox_link(user):
    return [(_("我的消息"), reverse("notice-inbox"))]


@extensions.me_section(order=5, template="association/notices/me_section.html")
def inbox_section(request, volunteer):
    latest = list(service.inbox_of(request.user).defer("address", "params")[:5])
    return {"latest": latest, "unread": service.unread_count(request.user)}
