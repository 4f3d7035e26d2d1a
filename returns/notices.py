"""The notices of the returns (``association.notices``): a return submitted (to the level
above, which reviews it), returned with the reason and accepted (to the filing unit's
accounts). Sent by ``tasks.send_status_notice`` once the move has committed. The links come in the
context (``review_link``, ``fill_link``), so staff's wording needs no template tags."""

from association import extensions

NAME = "{{ statistics_return.organization.name }}{{ statistics_return.year }}年综合统计年报"
FILL_LINK = "{{ fill_link }}"
REVIEW_LINK = "{{ review_link }}"
SIGN_OFF = "\n\n此邮件由系统自动发送，请勿回复。"

SUBMITTED = extensions.notice_kind(
    "returns.submitted", label="统计年报已报送，待审核",
    subject="【综合统计年报】" + NAME + "已报送，待审核",
    body="您好：\n\n" + NAME + "已报送，请审核（审核通过或退回并写明原因）。\n\n登录后打开：" + REVIEW_LINK + SIGN_OFF,
)
RETURNED = extensions.notice_kind(
    "returns.returned", label="统计年报被退回", essential=True,
    subject="【综合统计年报】" + NAME + "已被退回",
    body="您好：\n\n" + NAME + "已被上级退回，请修改后重新报送。\n退回原因：{{ statistics_return.returned_reason }}\n\n"
         "登录后打开：" + FILL_LINK + SIGN_OFF,
)
ACCEPTED = extensions.notice_kind(
    "returns.accepted", label="统计年报审核通过",
    subject="【综合统计年报】" + NAME + "已审核通过",
    body="您好：\n\n" + NAME + "已审核通过，已计入上级汇总，不能再修改。\n\n查看：" + FILL_LINK + SIGN_OFF,
)
