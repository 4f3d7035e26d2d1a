"""The notices the events app sends (``association.notices``): a sign-up's result, promotion
from the waiting list, the reminders before the event, its cancellation.

The e-mail and inbox wording of the sign-up notices is the e-mail template the app kept
before (``templates/events/email/``); staff may replace any of it under 通知模板."""

from association import extensions

REGISTRATION_BODY = "{% include 'events/email/registration_notice.txt' %}"
LINK = "{{ site_url }}{{ registration.get_absolute_url }}"
WHEN = "{% load events_tags %}{{ event|event_period }}"


def _params(ctx) -> dict:
    registration = ctx.get("registration")
    return {"name": ctx["event"].title[:30], "code": getattr(registration, "check_in_code", "")}


def _kind(key, label, subject, sms, *, body=REGISTRATION_BODY, essential=True):
    return extensions.notice_kind(f"events.{key}", label=label, essential=essential, subject=subject, body=body,
                                  sms=sms, sms_params=_params)


CONFIRMED = _kind("confirmed", "活动报名成功", "【报名成功】{{ event.title }}",
                  "您已成功报名“{{ event.title }}”，时间：" + WHEN + "，签到码 {{ registration.check_in_code }}。详情：" + LINK)
WAITLISTED = _kind("waitlisted", "活动报名进入候补", "【已进入候补名单】{{ event.title }}",
                   "“{{ event.title }}”名额已满，您已进入候补名单，有人取消时将自动递补并通知您。详情：" + LINK)
PENDING = _kind("pending", "活动报名待审核", "【报名已提交，等待审核】{{ event.title }}",
                "您报名“{{ event.title }}”的申请已提交，主办方审核后会通知您结果。")
REJECTED = _kind("rejected", "活动报名未通过审核", "【报名未通过审核】{{ event.title }}",
                 "很抱歉，您报名“{{ event.title }}”的申请未通过审核。")
PROMOTED = _kind("promoted", "候补转为正式报名", "【候补转为正式报名】{{ event.title }}",
                 "有人取消了报名，您已由候补转为正式报名“{{ event.title }}”，时间：" + WHEN
                 + "，签到码 {{ registration.check_in_code }}。详情：" + LINK)

REMINDER_BODY = ("{% load events_tags %}{% autoescape off %}{{ registration.name }}，您好：\n\n"
                 "您报名的「{{ event.title }}」将于{{ when }}开始。\n时间：{{ event|event_period }}\n地点：{{ event.venue }}\n"
                 "活动当天请出示报名页面上的签到二维码，或告诉工作人员签到码：{{ registration.check_in_code }}\n\n"
                 "如不能参加，请尽早取消报名，把名额留给候补的人：\n" + LINK + "\n（这是您专属的链接，请勿转发他人。）\n\n"
                 "此邮件由{{ site.name }}自动发送，请勿回复。{% endautoescape %}")
REMINDER_DAY = _kind("reminder_day", "活动前一天提醒", "【活动提醒】{{ when }}：{{ event.title }}",
                     "提醒：您报名的“{{ event.title }}”将于" + WHEN + "举行，地点：{{ event.venue }}，签到码 "
                     "{{ registration.check_in_code }}。", body=REMINDER_BODY, essential=False)
REMINDER_HOURS = _kind("reminder_hours", "活动开始前两小时提醒", "【活动提醒】两小时后开始：{{ event.title }}",
                       "提醒：您报名的“{{ event.title }}”将于{{ when }}开始，地点：{{ event.venue }}，签到码 "
                       "{{ registration.check_in_code }}。", body=REMINDER_BODY, essential=False)
CANCELLED = _kind("cancelled", "活动取消", "【活动取消通知】{{ event.title }}",
                  "很抱歉，您报名的“{{ event.title }}”（原定" + WHEN + "）已取消。"
                  "{% if event.cancellation_reason %}原因：{{ event.cancellation_reason }}{% endif %}",
                  body="{% include 'events/email/event_cancelled.txt' %}")
