"""A person's own notices: the inbox (/accounts/inbox/), one message, and which kinds they
turned off (/accounts/inbox/preferences/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import extensions
from ..models import Channel, Delivery
from . import service


@never_cache
@login_required
def inbox(request):
    page = Paginator(service.inbox_of(request.user).defer("address", "params"), 20).get_page(request.GET.get("page"))
    return render(request, "association/notices/inbox.html", {
        "page_obj": page, "unread": service.unread_count(request.user),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def message(request, pk: int):
    """Opening a message (the list's button, a POST) marks it read; the page itself only shows it."""
    if request.method == "POST":
        try:
            service.mark_read(user=request.user, delivery_id=pk)
        except Delivery.DoesNotExist:
            raise Http404 from None
        return redirect("notice-message", pk=pk)
    item = service.inbox_of(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "association/notices/message.html", {"item": item})


CHANNELS = [(Channel.EMAIL, Channel.EMAIL.label), (Channel.SMS, Channel.SMS.label), (Channel.INBOX, Channel.INBOX.label)]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    kinds = sorted(extensions.notice_kinds().values(), key=lambda k: (k.essential, k.key))
    if request.method == "POST":
        on = set(request.POST.getlist("on"))
        service.set_preferences(user=request.user, turned_off={
            (k.key, c) for k in kinds if not k.essential for c, _ in CHANNELS if f"{k.key}:{c}" not in on})
        messages.success(request, "已保存您的通知设置。")
        return redirect("notice-preferences")
    off = service.preferences_of(request.user)
    rows = [{"kind": k, "channels": [{"value": c, "label": label, "name": f"{k.key}:{c}", "on": (k.key, c) not in off}
                                     for c, label in CHANNELS]} for k in kinds]
    return render(request, "association/notices/preferences.html", {"rows": rows, "channels": CHANNELS})
