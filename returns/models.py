"""科协综合统计年报: the catalogue of tables and items (by year), and each unit's return."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from association import scoping
from association.models import Organization


class ReturnTable(models.Model):
    """One table of the return in one year's system (AK表1-1 组织建设 …)."""

    class Filers(models.TextChoices):
        ALL = "all", _("科协和学会")
        ASSOCIATION = "association", _("市、县（区）科协")
        SOCIETY = "society", _("学会")

    unit_owner = scoping.SHARED

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    code = models.CharField(_("表号"), max_length=20)
    name = models.CharField(_("表名"), max_length=60)
    filers = models.CharField(_("填报单位"), max_length=12, choices=Filers.choices, default=Filers.ALL)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["year", "order"]
        verbose_name = _("统计报表")
        verbose_name_plural = _("统计报表目录")
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="return_table_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class ReturnItem(models.Model):
    """One line of a table: counted from the records by a rule, or entered by the unit."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("由门户记录统计")
        ENTERED = "entered", _("单位填报")

    unit_owner = scoping.SHARED

    table = models.ForeignKey(ReturnTable, verbose_name=_("统计报表"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("行次"), max_length=10)
    name = models.CharField(_("项目"), max_length=80)
    unit = models.CharField(_("计量单位"), max_length=10)
    part_of = models.ForeignKey(
        "self", verbose_name=_("其中项所属"), null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    rule = models.CharField(_("统计规则"), max_length=60, blank=True)
    rule_text = models.CharField(_("统计口径"), max_length=200, blank=True)
    required = models.BooleanField(_("必填"), default=True)
    wording_checked = models.BooleanField(
        _("名称已核对"), default=False, help_text=_("项目名称已与报表制度原文核对；否则为依公开资料整理的名称。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["table__year", "table__order", "order"]
        verbose_name = _("统计项目")
        verbose_name_plural = _("统计项目")
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="return_item_unique_code")]

    def __str__(self):
        return f"{self.table.code} {self.code} {self.name}"

    @property
    def is_computed(self) -> bool:
        return self.source == self.Source.COMPUTED


class StatisticsReturn(models.Model):
    """A unit's return for a year: its own figures, then those it rolls up from below."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已审核通过")

    unit_owner = "organization"

    organization = models.ForeignKey(Organization, verbose_name=_("填报单位"), on_delete=models.PROTECT,
                                     related_name="statistics_returns")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    returned_reason = models.TextField(_("退回原因"), blank=True)
    head = models.CharField(_("单位负责人"), max_length=30, blank=True)
    statistician = models.CharField(_("统计负责人"), max_length=30, blank=True)
    filled_by = models.CharField(_("填表人"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    reported_on = models.DateField(_("报出日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year", "organization__name"]
        verbose_name = _("统计年报")
        verbose_name_plural = _("统计年报")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="statistics_return_one_per_year")]

    def __str__(self):
        return f"{self.organization} {self.year}年综合统计年报"


class ReturnValue(models.Model):
    """One item's figure in a return: the unit's own work (本级), computed or entered."""

    unit_owner = "statistics_return__organization"

    statistics_return = models.ForeignKey(StatisticsReturn, verbose_name=_("统计年报"), on_delete=models.CASCADE,
                                          related_name="values")
    item = models.ForeignKey(ReturnItem, verbose_name=_("统计项目"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("本级数值"), max_digits=14, decimal_places=2, default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("统计数值")
        verbose_name_plural = _("统计数值")
        constraints = [models.UniqueConstraint(fields=["statistics_return", "item"], name="return_value_one_per_item")]

    def __str__(self):
        return f"{self.item}: {self.value}"
