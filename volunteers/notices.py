"""The notices the volunteers app sends (``association.notices``): the review of a
registration, confirmed service hours, and each step of an order (点单) — to the team's
leader when it is dispatched, to the ordering unit when it is received, accepted, done and
rated — and who receives them."""

import hashlib

from association import extensions
from association.notices import Recipient, notify, notify_many

from .models import Membership, ServiceOrder, Volunteer

ORDER_LINK = "{{ site_url }}{% url 'volunteers:order_status' order.token %}"
LEADER_LINK = "{{ site_url }}{% url 'me:order' order.pk %}"
SIGN_OFF = "\n\n此邮件由{{ site.name }}自动发送，请勿回复。"


def _order_params(ctx) -> dict:
    return {"title": ctx["order"].project.title[:30]}


APPROVED = extensions.notice_kind(
    "volunteers.approved", label="志愿者注册审核通过", essential=True,
    subject="【科技志愿服务】您的志愿者注册已审核通过",
    body="{{ volunteer.name }}，您好：\n\n您在{{ site.short_name }}网站提交的科技志愿者实名注册已审核通过。"
         "登录后可在“我的”页面查看所在服务队、服务记录，并申请志愿服务记录证明：\n{{ site_url }}/accounts/me/\n\n"
         "感谢您投身科技志愿服务！",
    sms="{{ volunteer.name }}，您的科技志愿者实名注册已审核通过，登录{{ site.short_name }}网站“我的”页面查看服务队和服务记录。",
)
REJECTED = extensions.notice_kind(
    "volunteers.rejected", label="志愿者注册未通过审核", essential=True,
    subject="【科技志愿服务】您的志愿者注册未通过审核",
    body="{{ volunteer.name }}，您好：\n\n很抱歉，您提交的科技志愿者实名注册未通过审核。\n"
         "原因：{{ volunteer.rejection_reason }}\n\n如有疑问，请联系市科协科学技术普及部。",
    sms="{{ volunteer.name }}，很抱歉，您的科技志愿者注册未通过审核，原因：{{ volunteer.rejection_reason }}。",
)
ATTEMPT = extensions.notice_kind(
    "volunteers.registration_attempt", label="有人使用您的信息注册", essential=True,
    subject="【科技志愿服务】有人使用您的信息提交了志愿者注册",
    body="{{ name }}，您好：\n\n"
         "刚刚有人在{{ site.short_name }}网站的科技志愿者注册页面，使用与您已登记的身份证号、手机号码或电子邮箱相同的信息提交了注册。"
         "由于这些信息已经登记，这次注册没有被受理，您的信息没有任何改变。\n\n"
         "如果是您本人：您无需再次注册，请用电子邮箱和密码登录 {{ site_url }}{% url 'login' %} ；"
         "忘记密码可以在 {{ site_url }}{% url 'password_reset' %} 重新设置。\n"
         "如果不是您本人：请不必理会本邮件；如有疑问，请联系市科协科学技术普及部。\n",
)
HOURS = extensions.notice_kind(
    "volunteers.hours_confirmed", label="服务时长已确认",
    subject="【科技志愿服务】您的 {{ count }} 条服务记录已确认",
    body="{{ volunteer.name }}，您好：\n\n您的以下服务记录已经确认，计入服务时长：\n"
         "{% for r in records %}{{ r.date|date:'Y年n月j日' }} {{ r.title }}：{{ r.hours }} 小时\n{% endfor %}"
         "\n在“我的”页面查看累计时长、申请志愿服务记录证明：{{ site_url }}/accounts/me/",
    sms="{{ volunteer.name }}，您的 {{ count }} 条服务记录（共 {{ total }} 小时）已确认，计入志愿服务时长。",
)
ORDER_RECEIVED = extensions.notice_kind(
    "volunteers.order_received", label="点单已收到", essential=True,
    subject="【科技志愿服务】点单已收到：{{ order.project.title }}",
    body="{{ order.contact_name }}，您好：\n\n我们已收到贵单位的点单“{{ order.project.title }}”。"
         "请保存下面的链接，用它查看派单、接单进度，并在服务完成后评价：\n" + ORDER_LINK + "\n",
    sms="已收到贵单位的点单“{{ order.project.title }}”，查看进度和评价：" + ORDER_LINK, sms_params=_order_params,
)
ORDER_DISPATCHED = extensions.notice_kind(
    "volunteers.order_dispatched", label="点单派给本队", essential=True,
    subject="【科技志愿服务】新派单：{{ order.project.title }}",
    body="{{ leader.name }}，您好：\n\n科普部把“{{ order.orderer_name }}”的点单“{{ order.project.title }}”派给了"
         "{{ order.team.name }}。\n期望服务日期：{{ order.wanted_date|date:'Y年n月j日' }}\n服务地点：{{ order.address }}\n"
         "预计参加人数：{{ order.audience_size }}\n\n请登录后接单或拒单：\n" + LEADER_LINK + SIGN_OFF,
    sms="{{ order.team.name }}有新派单“{{ order.project.title }}”（{{ order.orderer_name }}），请登录{{ site.short_name }}网站接单或拒单。",
    sms_params=_order_params,
)
ORDER_ACCEPTED = extensions.notice_kind(
    "volunteers.order_accepted", label="点单已接单", essential=True,
    subject="【科技志愿服务】已接单：{{ order.project.title }}",
    body="{{ order.contact_name }}，您好：\n\n贵单位的点单“{{ order.project.title }}”已由{{ order.team.name }}接单，"
         "服务队会按约定与您联系。查看进度：\n" + ORDER_LINK + SIGN_OFF,
    sms="贵单位的点单“{{ order.project.title }}”已由{{ order.team.name }}接单，服务队会与您联系。",
    sms_params=_order_params,
)
ORDER_DONE = extensions.notice_kind(
    "volunteers.order_done", label="点单服务完成", essential=True,
    subject="【科技志愿服务】服务已完成，请评价：{{ order.project.title }}",
    body="{{ order.contact_name }}，您好：\n\n{{ order.team.name }}已完成贵单位点单“{{ order.project.title }}”的服务。"
         "请用下面的链接评价这次服务：\n" + ORDER_LINK + SIGN_OFF,
    sms="贵单位的点单“{{ order.project.title }}”服务已完成，请评价：" + ORDER_LINK, sms_params=_order_params,
)
ORDER_RATED = extensions.notice_kind(
    "volunteers.order_rated", label="点单评价已收到",
    subject="【科技志愿服务】感谢评价：{{ order.project.title }}",
    body="{{ order.contact_name }}，您好：\n\n我们已收到贵单位对点单“{{ order.project.title }}”的评价"
         "（{{ order.rating }} 星），感谢您对科技志愿服务的支持。" + SIGN_OFF,
    sms="已收到贵单位对点单“{{ order.project.title }}”的评价（{{ order.rating }}星），谢谢！", sms_params=_order_params,
)
ORDER_NOTICES = {
    ServiceOrder.Status.ACCEPTED: ORDER_ACCEPTED,
    ServiceOrder.Status.DONE: ORDER_DONE,
    ServiceOrder.Status.RATED: ORDER_RATED,
}


def volunteer_recipient(volunteer: Volunteer, **extra) -> Recipient:
    return Recipient(user=volunteer.user, email=volunteer.email, mobile=volunteer.mobile, **extra)


def team_leaders(team) -> list[Volunteer]:
    """The approved leaders of the team; the corps's when the team has none."""
    for team_id in (team.pk, team.parent_id):
        if team_id is None:
            continue
        leaders = [m.volunteer for m in Membership.objects.filter(
            team_id=team_id, role__in=Membership.LEADER_ROLES, volunteer__status=Volunteer.Status.APPROVED,
        ).select_related("volunteer__user").order_by("pk")]
        if leaders:
            return leaders
    return []


def order_moved(order: ServiceOrder) -> None:
    """In the order's transaction: tell whoever this step concerns."""
    if order.status == ServiceOrder.Status.DISPATCHED and order.team_id:
        stamp = order.dispatched_at.isoformat() if order.dispatched_at else ""
        notify_many(ORDER_DISPATCHED.key, [volunteer_recipient(v, context={"leader": v}) for v in team_leaders(order.team)],
                    context={"order": order}, key=f"order:{order.pk}:team:{order.team_id}:{stamp}")
    elif order.status in ORDER_NOTICES:
        notify(ORDER_NOTICES[order.status].key, email=order.email, mobile=order.contact_phone, context={"order": order},
               key=f"order:{order.pk}:{order.status}")


def hours_confirmed(records) -> None:
    """In the confirming transaction: one notice per volunteer for the records confirmed."""
    by_volunteer = {}
    for record in records:
        by_volunteer.setdefault(record.volunteer_id, []).append(record)
    for mine in by_volunteer.values():
        volunteer = mine[0].volunteer
        ids = ",".join(str(r.pk) for r in sorted(mine, key=lambda r: r.pk))
        notify(HOURS.key, user=volunteer.user, email=volunteer.email, mobile=volunteer.mobile,
               context={"volunteer": volunteer, "records": mine, "count": len(mine),
                        "total": sum(r.hours for r in mine)},
               key="records:" + hashlib.sha256(ids.encode()).hexdigest()[:40])


# -- 补录, requests about one's own data, certificates ------------------------------------------

CLAIM_RECEIVED = extensions.notice_kind(
    "volunteers.claim_received", label="收到补录申请（队长）",
    subject="【科技志愿服务】{{ claim.volunteer.name }}申请补录服务时长",
    body="{{ leader.name }}，您好：\n\n{{ claim.team.name }}的{{ claim.volunteer.name }}申请补录"
         "{{ claim.date|date:'Y年n月j日' }}“{{ claim.title }}”的服务时长 {{ claim.hours }} 小时。\n"
         "请登录后在补录审核页面查看证明材料，通过或不通过：\n{{ site_url }}{% url 'me:claim_queue' %}" + SIGN_OFF,
    sms="{{ claim.volunteer.name }}申请补录“{{ claim.title }}”{{ claim.hours }}小时，请登录{{ site.short_name }}网站审核。",
)
CLAIM_REFUSED = extensions.notice_kind(
    "volunteers.claim_refused", label="补录申请未通过", essential=True,
    subject="【科技志愿服务】您的补录申请未通过",
    body="{{ claim.volunteer.name }}，您好：\n\n您申请补录的{{ claim.date|date:'Y年n月j日' }}“{{ claim.title }}”"
         "服务时长 {{ claim.hours }} 小时未通过审核。\n原因：{{ claim.refusal_reason }}\n\n"
         "如有疑问，请联系您所在服务队的负责人。在“我的”页面查看：{{ site_url }}/accounts/me/" + SIGN_OFF,
    sms="{{ claim.volunteer.name }}，您申请补录的“{{ claim.title }}”未通过审核，原因：{{ claim.refusal_reason }}。",
)
CHANGE_DECIDED = extensions.notice_kind(
    "volunteers.change_decided", label="更正或实名变更申请已处理", essential=True,
    subject="【科技志愿服务】您的{{ change.get_kind_display }}{% if approved %}已处理{% else %}未获同意{% endif %}",
    body="{{ volunteer.name }}，您好：\n\n您于{{ change.created|date:'Y年n月j日' }}提交的{{ change.get_kind_display }}"
         "{% if approved %}已由工作人员处理完毕{% if change.kind == 'real_name' %}，新的实名信息已生效{% endif %}。"
         "{% else %}未获同意。{% endif %}\n{% if change.reply %}处理意见：{{ change.reply }}\n{% endif %}"
         "\n在“我的”页面查看：{{ site_url }}/accounts/me/" + SIGN_OFF,
    sms="{{ volunteer.name }}，您的{{ change.get_kind_display }}{% if approved %}已处理{% else %}未获同意"
        "{% if change.reply %}，理由：{{ change.reply }}{% endif %}{% endif %}。",
)
CERTIFICATE_REVOKED = extensions.notice_kind(
    "volunteers.certificate_revoked", label="志愿服务记录证明已撤销", essential=True,
    subject="【科技志愿服务】您的志愿服务记录证明（{{ certificate.number }}）已撤销",
    body="{{ volunteer.name }}，您好：\n\n您的志愿服务记录证明（证明编号 {{ certificate.number }}）已被出具单位撤销，"
         "核验页面将显示“已撤销”。\n原因：{{ certificate.revocation_reason }}\n\n"
         "如需新的证明，请登录后在“我的”页面重新申请：{{ site_url }}/accounts/me/" + SIGN_OFF,
    sms="{{ volunteer.name }}，您的志愿服务记录证明（{{ certificate.number }}）已撤销，原因：{{ certificate.revocation_reason }}。",
)


def claim_received(claim) -> None:
    """In the submitting transaction: the team's leaders are asked to review (staff see the queue)."""
    if claim.team_id is None:
        return
    leaders = [v for v in team_leaders(claim.team) if v.pk != claim.volunteer_id]
    notify_many(CLAIM_RECEIVED.key, [volunteer_recipient(v, context={"leader": v}) for v in leaders],
                context={"claim": claim}, key=f"claim:{claim.pk}")


def claim_refused(claim) -> None:
    notify(CLAIM_REFUSED.key, **_to(claim.volunteer), context={"claim": claim}, key=f"claim:{claim.pk}")


def change_decided(change, volunteer, *, approved: bool) -> None:
    notify(CHANGE_DECIDED.key, **_to(volunteer), context={"change": change, "volunteer": volunteer, "approved": approved},
           key=f"change:{change.pk}")


def certificate_revoked(certificate) -> None:
    volunteer = certificate.volunteer
    notify(CERTIFICATE_REVOKED.key, **_to(volunteer), context={"certificate": certificate, "volunteer": volunteer},
           key=f"certificate:{certificate.pk}")


def _to(volunteer: Volunteer) -> dict:
    return {"user": volunteer.user, "email": volunteer.email, "mobile": volunteer.mobile}
