"""The one notification service every app uses: e-mail, SMS and the in-site inbox.

Declare a kind (once, at import of the app's ``extensions.py`` or ``notices.py``)::

    from association import extensions

    extensions.notice_kind(
        "events.cancelled", label="活动取消", essential=True,
        subject="活动取消通知：{{ event.title }}",
        body="{{ name }}，您好：……",            # e-mail and inbox (Django template syntax, no escaping)
        sms="您报名的“{{ event.title }}”已取消。",  # without the signature; empty: no SMS
        sms_params=lambda ctx: {"title": ctx["event"].title},  # the provider's template parameters
    )

Send (inside the service's transaction; nothing leaves before it commits)::

    from association.notices import Recipient, notify, notify_many

    notify("events.cancelled", user=registration.user, email=registration.email,
           mobile=registration.mobile, context={"event": event, "name": registration.name},
           key=f"registration:{registration.pk}")
    notify_many("events.cancelled", [Recipient(user=…, email=…, mobile=…, context={…}, key=…), …],
                context={"event": event}, key=f"event:{event.pk}")

- Channels: e-mail to ``email`` (else the account's), SMS to ``mobile`` (the app gives it:
  mobiles live encrypted on the apps' models) when the kind has an ``sms`` template, the
  inbox when there is an account (``user``). Each channel is one ``Delivery`` row (the
  delivery log: address encrypted, shown masked; status queued → sent / failed / limited,
  or skipped when the person turned the kind off on that channel; attempts; last error).
- ``key``: the same kind, key, channel and recipient is written and sent once, however
  often the service or task runs (``Recipient.key`` overrides it for one person). Without
  a key every call sends.
- The rows are written in the caller's transaction; their sending goes through the outbox
  (``association.queue.enqueue``) as ``association.send_deliveries`` on the ``mail`` queue,
  one task per ``SEND_BATCH`` rows. Inbox rows are there at once (status sent).
- Templates: staff's wording (``NoticeTemplate``, admin 通知模板) replaces the code's per
  field. Context always has ``site_url``. SMS carry ``sms.signature()`` (【濮阳市科协】).
- SMS: ``SMS_BACKEND`` (console log in development, 阿里云 in production; see ``sms``),
  ``SMS_RATE_PER_NUMBER`` per ``SMS_RATE_WINDOW`` seconds per number; over it the row is
  marked limited and nothing is sent.

A person's side: ``inbox_of(user)``, ``unread_count(user)``, ``mark_read(user=, delivery_id=)``,
``set_preferences(user=, turned_off={(kind, channel), …})``; pages under /accounts/inbox/.
"""

from .service import (
    Recipient,
    inbox_of,
    keys_written,
    mark_read,
    notify,
    notify_many,
    preferences_of,
    set_preferences,
    switchable_kinds,
    unread_count,
)

__all__ = [
    "Recipient",
    "inbox_of",
    "keys_written",
    "mark_read",
    "notify",
    "notify_many",
    "preferences_of",
    "set_preferences",
    "switchable_kinds",
    "unread_count",
]
