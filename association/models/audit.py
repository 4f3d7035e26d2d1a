"""The audit log: who did what to which record, and who saw personal data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import scoping


class AuditEntry(models.Model):
    unit_owner = scoping.CITY

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        CHANGE = "change", _("修改")
        DELETE = "delete", _("删除")
        TRANSITION = "transition", _("状态变更")
        VIEW_PERSONAL = "view_personal", _("查看完整个人信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        LOGIN_FAILED = "login_failed", _("登录失败")

    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def state_label(self, value: str) -> str:
        """A recorded state as staff read it: the label of the choice in the field that
        holds the object's state (``submitted`` → 待派单); the stored value when the model
        has no such field or choice.

        The field is ``status`` unless the model names another in ``state_field`` (a
        demand match's state is its ``outcome``)."""
        model = self.content_type.model_class() if self.content_type_id and value else None
        if model is None:
            return value
        try:
            field = model._meta.get_field(getattr(model, "state_field", "status"))
        except FieldDoesNotExist:
            return value
        return str(dict(field.flatchoices).get(value, value))

    @property
    def from_state_label(self) -> str:
        return self.state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return self.state_label(self.to_state)
