"""Service projects that teams offer, and the orders (点单) communities place for them."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from association.crypto import EncryptedTextField, mask_mobile, mask_name
from association.models import County

from .teams import ServiceTeam


class ServiceProjectQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ServiceProject.Status.PUBLISHED)


class ServiceProject(models.Model):
    unit_owner = "team__organization"

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已下架")

    team = models.ForeignKey(ServiceTeam, verbose_name=_("提供服务的队伍"), on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("项目名称"), max_length=120)
    summary = models.CharField(_("一句话简介"), max_length=200, blank=True)
    description = models.TextField(_("服务内容"), blank=True)
    audience = models.CharField(_("服务对象"), max_length=120, blank=True, help_text=_("例如：社区居民、中小学生、种养殖户、企业技术人员"))
    duration = models.CharField(_("时长与形式"), max_length=100, blank=True, help_text=_("例如：半天，讲座加现场咨询"))
    capacity = models.PositiveIntegerField(_("单场可服务人数"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ServiceProjectQuerySet.as_manager()

    class Meta:
        ordering = ["order", "-published_at", "id"]
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")

    def __str__(self):
        return self.title


def new_order_token() -> str:
    return secrets.token_urlsafe(24)


class ServiceOrder(models.Model):
    """点单: submitted → dispatched (派单) → accepted (接单) → done → rated (评单); or declined / cancelled."""

    unit_owner = "team__organization"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待派单")
        DISPATCHED = "dispatched", _("已派单")
        ACCEPTED = "accepted", _("已接单")
        DECLINED = "declined", _("已拒单")
        DONE = "done", _("已完成")
        RATED = "rated", _("已评价")
        CANCELLED = "cancelled", _("已取消")

    class OrdererKind(models.TextChoices):
        COMMUNITY = "community", _("社区")
        SCHOOL = "school", _("学校")
        VILLAGE = "village", _("村（农村合作社）")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他单位")

    # From acceptance on, the team may record the hours it served for the order.
    TAKES_HOURS = (Status.ACCEPTED, Status.DONE, Status.RATED)

    project = models.ForeignKey(ServiceProject, verbose_name=_("服务项目"), on_delete=models.PROTECT, related_name="orders")
    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("承接队伍"), null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    orderer_kind = models.CharField(_("点单单位类型"), max_length=20, choices=OrdererKind.choices)
    orderer_name = models.CharField(_("点单单位"), max_length=120)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = EncryptedTextField(_("联系电话"))
    email = models.EmailField(_("电子邮箱"), blank=True)
    county = models.ForeignKey(County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField(_("服务地点"), max_length=200)
    wanted_date = models.DateField(_("期望服务日期"))
    audience_size = models.PositiveIntegerField(_("预计参加人数"), validators=[MinValueValidator(1), MaxValueValidator(100000)])
    needs = models.TextField(_("需求说明"), max_length=2000)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    token = models.CharField(_("查询凭证"), max_length=64, unique=True, default=new_order_token, editable=False)
    decline_reason = models.TextField(_("拒单原因"), blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评分"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("评价"), blank=True, max_length=1000)
    submitted_at = models.DateTimeField(_("点单时间"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("点单")
        verbose_name_plural = _("点单")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="serviceorder_rating_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self):
        return f"{self.orderer_name} · {self.project}"

    @property
    def takes_hours(self) -> bool:
        return self.status in self.TAKES_HOURS

    @property
    def masked_contact_phone(self) -> str:
        return mask_mobile(self.contact_phone)

    @property
    def stars(self) -> str:
        return "★" * (self.rating or 0) + "☆" * (5 - (self.rating or 0)) if self.rating else ""

    @property
    def masked_contact_name(self) -> str:
        return mask_name(self.contact_name)
