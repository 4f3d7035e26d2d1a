"""技术需求: what enterprises need, and each 对接 with an expert or a team until it is solved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.crypto import EncryptedTextField, lookup_hash
from association.models import County, Organization
from volunteers.models import ServiceTeam

from .registry import Field, Talent, mask_contact


class Industry(models.TextChoices):
    PETROCHEMICAL = "petrochemical", _("石油化工")
    NEW_MATERIALS = "new_materials", _("化工新材料")
    BIO_MATERIALS = "bio_materials", _("生物基材料")
    EQUIPMENT = "equipment", _("装备制造")
    ELECTRONICS = "electronics", _("电子信息")
    AGRICULTURE = "agriculture", _("现代农业")
    FOOD = "food", _("食品加工")
    MEDICINE = "medicine", _("医药健康")
    ENVIRONMENT = "environment", _("节能环保")
    ENERGY = "energy", _("新能源")
    TEXTILE = "textile", _("纺织服饰")
    OTHER = "other", _("其他")


class TechDemand(models.Model):
    unit_owner = "collected_by"

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", _("技术需求")
        TALENT = "talent", _("人才需求")

    class Status(models.TextChoices):
        COLLECTED = "collected", _("已征集")
        CHECKED = "checked", _("已审核")
        PUBLISHED = "published", _("已发布")
        MATCHED = "matched", _("对接中")
        SOLVED = "solved", _("已解决")
        REJECTED = "rejected", _("未通过审核")
        CLOSED = "closed", _("已关闭")

    PUBLIC_STATES = (Status.PUBLISHED, Status.MATCHED, Status.SOLVED)
    # What the enterprise reads about its own demand; staff keep the working labels above.
    PUBLIC_STATUS_LABELS = {
        Status.COLLECTED: _("已提交，等待科协审核"),
        Status.CHECKED: _("已通过审核，等待发布"),
        Status.PUBLISHED: _("已发布"),
        Status.MATCHED: _("对接中"),
        Status.SOLVED: _("已解决"),
        Status.REJECTED: _("未通过审核"),
        Status.CLOSED: _("已关闭"),
    }

    kind = models.CharField(_("需求类型"), max_length=12, choices=Kind.choices, default=Kind.TECHNOLOGY, db_index=True)
    industry = models.CharField(_("所属行业"), max_length=20, choices=Industry.choices, db_index=True)
    fields = models.ManyToManyField(Field, verbose_name=_("涉及专业领域"), blank=True, related_name="demands")
    title = models.CharField(_("需求名称"), max_length=120)
    description = models.TextField(_("需求描述"))
    budget = models.DecimalField(
        _("预算（万元）"), max_digits=10, decimal_places=2, null=True, blank=True, help_text=_("留空表示面议")
    )
    enterprise_name = models.CharField(_("企业名称"), max_length=120)
    enterprise = models.ForeignKey(
        Organization, verbose_name=_("企业（组织体系）"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tech_demands"
    )
    county = models.ForeignKey(County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    collected_by = models.ForeignKey(
        Organization, verbose_name=_("征集单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="collected_demands", help_text=_("征集、跟进这项需求的单位（县区科协、园区科协等）；留空为市科协。"),
    )
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_phone = EncryptedTextField(_("联系电话"))
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.COLLECTED, db_index=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    created = models.DateTimeField(_("征集时间"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    status_changed = models.DateTimeField(_("状态变更时间"), default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        permissions = [("reveal_demand_contact", _("查看企业需求的完整联系电话"))]
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status__in=["published", "matched", "solved"]),
                name="demand_public_order",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.contact_phone_hash = lookup_hash(self.contact_phone, purpose="demand-phone") if self.contact_phone else ""
        super().save(*args, **kwargs)

    # Labels for list pages: get_FOO_display() rebuilds the choices on every call.
    @property
    def kind_label(self) -> str:
        return _LABELS["kind"].get(self.kind, "")

    @property
    def industry_label(self) -> str:
        return _LABELS["industry"].get(self.industry, "")

    @property
    def status_label(self) -> str:
        return _LABELS["status"].get(self.status, "")

    @property
    def public_status_label(self) -> str:
        return self.PUBLIC_STATUS_LABELS.get(self.status, self.status_label)

    @property
    def masked_contact_phone(self) -> str:
        return mask_contact(self.contact_phone)

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATES


_LABELS = {
    "kind": dict(TechDemand.Kind.choices),
    "industry": dict(Industry.choices),
    "status": dict(TechDemand.Status.choices),
}


class Match(models.Model):
    """One 对接: a demand put in touch with an expert or a team, and how it went."""

    unit_owner = "demand__collected_by"

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("已推荐")
        IN_CONTACT = "in_contact", _("对接中")
        SUCCEEDED = "succeeded", _("对接成功")
        FAILED = "failed", _("未达成")

    # The field holding a match's state, as the audit log records and shows it.
    state_field = "outcome"

    demand = models.ForeignKey(TechDemand, verbose_name=_("技术需求"), on_delete=models.CASCADE, related_name="matches")
    talent = models.ForeignKey(
        Talent, verbose_name=_("专家"), null=True, blank=True, on_delete=models.PROTECT, related_name="matches"
    )
    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("服务队"), null=True, blank=True, on_delete=models.PROTECT, related_name="demand_matches"
    )
    outcome = models.CharField(_("对接结果"), max_length=12, choices=Outcome.choices, default=Outcome.PROPOSED, db_index=True)
    note = models.TextField(_("对接记录"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("对接时间"), default=timezone.now)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("需求对接")
        verbose_name_plural = _("需求对接")
        constraints = [
            models.CheckConstraint(
                condition=(Q(talent__isnull=False) & Q(team__isnull=True)) | (Q(talent__isnull=True) & Q(team__isnull=False)),
                name="match_expert_or_team",
            ),
            models.UniqueConstraint(fields=["demand", "talent"], condition=Q(talent__isnull=False), name="match_once_per_talent"),
            models.UniqueConstraint(fields=["demand", "team"], condition=Q(team__isnull=False), name="match_once_per_team"),
        ]

    def __str__(self):
        return f"{self.demand} ↔ {self.partner}"

    @property
    def partner(self):
        return self.talent or self.team
