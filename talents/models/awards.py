"""奖项: programmes, their rounds (第 N 届), nominations, reviews, the 公示 and objections."""

import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from association import scoping
from association.choices import Gender, TitleLevel
from association.crypto import EncryptedTextField
from association.formatting import chinese_numeral
from association.models import Organization, person_name

from .registry import Field, Talent, mask_contact


def private_storage():
    """Nomination materials never sit under MEDIA_ROOT; a view checks who may read them."""
    return storages["private"]


class AwardProgramme(models.Model):
    unit_owner = scoping.SHARED

    class NomineeKind(models.TextChoices):
        PERSON = "person", _("个人")
        ACHIEVEMENT = "achievement", _("成果（第一完成人）")
        ORGANIZATION = "organization", _("科技社团")

    name = models.CharField(_("奖项名称"), max_length=60, unique=True)
    code = models.SlugField(_("代码"), max_length=20, unique=True, help_text=_("用于受理编号，如 YX、QN"))
    nominee_kind = models.CharField(_("推荐对象"), max_length=20, choices=NomineeKind.choices, default=NomineeKind.PERSON)
    organisers = models.CharField(_("主办单位"), max_length=120, blank=True, help_text=_("如：市科协、市委组织部、市人社局"))
    description = models.TextField(_("奖项说明"), blank=True)
    max_age = models.PositiveSmallIntegerField(
        _("年龄上限（周岁）"), null=True, blank=True, help_text=_("按每届的年龄计算基准日计算；留空表示不限")
    )
    min_title_level = models.PositiveSmallIntegerField(
        _("最低职称级别"), choices=TitleLevel.choices, null=True, blank=True, help_text=_("留空表示不限")
    )
    repeat_ban_rounds = models.PositiveSmallIntegerField(
        _("不得重复获奖的届数"), default=0, help_text=_("在最近 N 届内获得本奖项者不得再被推荐；0 表示不限")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")

    def __str__(self):
        return self.name

    @property
    def is_for_organizations(self) -> bool:
        return self.nominee_kind == self.NomineeKind.ORGANIZATION

    @property
    def is_for_achievements(self) -> bool:
        return self.nominee_kind == self.NomineeKind.ACHIEVEMENT


class AwardRound(models.Model):
    unit_owner = scoping.SHARED

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        NOMINATING = "nominating", _("推荐中")
        REVIEWING = "reviewing", _("评审中")
        PUBLICISING = "publicising", _("公示中")
        ANNOUNCED = "announced", _("已公布")

    # From the 公示 on the shortlist is final: whoever is not on it will not be.
    SHORTLIST_FINAL_STATES = (Status.PUBLICISING, Status.ANNOUNCED)

    programme = models.ForeignKey(AwardProgramme, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("届次"), help_text=_("第几届"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PREPARING, db_index=True)
    nomination_opens = models.DateField(_("推荐开始日期"))
    nomination_closes = models.DateField(_("推荐截止日期"))
    reference_date = models.DateField(_("年龄计算基准日"), help_text=_("年龄上限按此日期计算"))
    quota = models.PositiveSmallIntegerField(_("表彰名额"))
    notice_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=7, help_text=_("按国务院公布的节假日安排（含调休）计算的工作日数，不少于5个。"),
    )
    notice_starts = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_ends = models.DateField(
        _("公示截止日期"), null=True, blank=True,
        help_text=_("发布公示时按工作日自动推算；系统尚未收录当年节假日安排时，请按国务院通知在此填写后再发布。"),
    )
    # 受理异议的联系方式: printed in the notice, required to publish it.
    objection_contact = models.CharField(_("异议受理联系人"), max_length=50, blank=True)
    objection_phone = models.CharField(_("异议受理电话"), max_length=40, blank=True)
    objection_email = models.EmailField(_("异议受理邮箱"), blank=True)
    objection_address = models.CharField(_("异议受理地址"), max_length=200, blank=True)
    announced_on = models.DateField(_("公布日期"), null=True, blank=True)
    call_text = models.TextField(_("推荐通知"), blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "programme__order", "-number"]
        verbose_name = _("评选届次")
        verbose_name_plural = _("评选届次")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="awardround_unique_number"),
            models.CheckConstraint(condition=Q(nomination_closes__gte=models.F("nomination_opens")), name="awardround_window_order"),
            models.CheckConstraint(condition=Q(quota__gt=0), name="awardround_quota_positive"),
            models.CheckConstraint(condition=Q(notice_days__gte=5), name="awardround_notice_at_least_5_days"),
        ]

    def __str__(self):
        return _("第%(number)s届%(programme)s（%(year)s年）") % {
            "number": chinese_numeral(self.number),
            "programme": self.programme.name,
            "year": self.year,
        }

    @property
    def title(self) -> str:
        return str(self)

    @cached_property
    def allots_places(self) -> bool:
        """Does the round allot 推荐名额 by unit? Then the units nominate from their accounts
        (本单位推荐) and the public form is closed to it."""
        return self.unit_quotas.exists()

    def accepts_nominations(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.NOMINATING and self.nomination_opens <= today <= self.nomination_closes

    def notice_running(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.PUBLICISING
            and self.notice_starts is not None
            and self.notice_starts <= today <= self.notice_ends
        )


class NominationQuota(models.Model):
    """推荐名额: how many nominations one unit may submit in one round.

    A round with no quota rows takes nominations from any unit without limit. Once a round
    has quota rows, only the units listed may nominate, each up to its number; a nomination
    found ineligible (资格不符) gives its place back. The count is kept by
    ``services.awards.submit_nomination`` under a lock.
    """

    unit_owner = "unit"

    round = models.ForeignKey(AwardRound, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="unit_quotas")
    unit = models.ForeignKey(
        Organization, verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="nomination_quotas"
    )
    quota = models.PositiveSmallIntegerField(_("推荐名额"), help_text=_("本单位在本届最多可推荐的人数（个数）；0 表示不分配名额"))

    class Meta:
        ordering = ["round", "unit__order", "unit__name"]
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="nominationquota_one_per_unit_per_round"),
        ]

    def __str__(self):
        return _("%(unit)s：%(n)s 名") % {"unit": self.unit, "n": self.quota}


class NominationQuerySet(models.QuerySet):
    def holding_places(self):
        """Nominations that count against their unit's 推荐名额 (all but the ineligible)."""
        return self.exclude(status__in=Nomination.RELEASED_STATES)

    def ranked_states(self):
        return self.filter(status__in=Nomination.RANKED_STATES)

    def not_shortlisted(self):
        """Left in review when the round's shortlist became final (shown as 未入围)."""
        return self.filter(status=Nomination.Status.IN_REVIEW, round__status__in=AwardRound.SHORTLIST_FINAL_STATES)


class Nomination(models.Model):
    unit_owner = "nominating_unit"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ELIGIBLE = "eligible", _("资格审查通过")
        INELIGIBLE = "ineligible", _("资格不符")
        IN_REVIEW = "in_review", _("评审中")
        SHORTLISTED = "shortlisted", _("拟入选")
        PUBLICISED = "publicised", _("公示中")
        AWARDED = "awarded", _("获奖")
        NOT_AWARDED = "not_awarded", _("未获奖")

    # A nomination holds one of its unit's places (推荐名额) unless found ineligible.
    RELEASED_STATES = (Status.INELIGIBLE,)
    RANKED_STATES = (Status.IN_REVIEW, Status.SHORTLISTED, Status.PUBLICISED, Status.AWARDED, Status.NOT_AWARDED)
    NOT_SHORTLISTED = "not_shortlisted"  # shown, never stored: see status_label()
    NOT_SHORTLISTED_LABEL = _("未入围")

    # Served by the (round, status) index below; a second index on round alone misled the
    # planner into filtering a whole round's rows for one status.
    round = models.ForeignKey(
        AwardRound, verbose_name=_("届次"), on_delete=models.PROTECT, related_name="nominations", db_index=False
    )
    nominating_unit = models.ForeignKey(
        Organization, verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="award_nominations"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    # The nominee as the unit described them; ``talent`` links the registry entry when known.
    talent = models.ForeignKey(
        Talent, verbose_name=_("人才库记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    nominee_organization = models.ForeignKey(
        Organization,
        verbose_name=_("被推荐社团"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_candidacies",
    )
    nominee_name = models.CharField(_("被推荐人（社团）"), max_length=120)
    nominee_gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    nominee_birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    nominee_title = models.CharField(_("职称 / 职务"), max_length=60, blank=True)
    nominee_title_level = models.PositiveSmallIntegerField(_("职称级别"), choices=TitleLevel.choices, null=True, blank=True)
    nominee_employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    nominee_field = models.ForeignKey(
        Field, verbose_name=_("专业领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    achievement_title = models.CharField(_("成果名称"), max_length=200, blank=True)
    # Where the nominee is told that their data was submitted, of the 公示 and of the result.
    nominee_contact = EncryptedTextField(
        _("被推荐人联系方式"), blank=True, default="", help_text=_("手机号码或电子邮箱，用于告知本人推荐、公示和评选结果，不会公开。")
    )
    summary = models.TextField(_("主要事迹 / 推荐理由"))
    contact_person = models.CharField(_("推荐单位联系人"), max_length=50)
    contact_phone = EncryptedTextField(_("联系人电话"))
    eligibility_note = models.TextField(_("资格审查意见"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    status_changed = models.DateTimeField(_("状态变更时间"), default=timezone.now)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        permissions = [
            ("review_nomination", _("评审分配给本人的推荐（评审专家）")),
            ("manage_award_process", _("办理评选流程（资格审查、分配评审、入选、公示、公布）")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "talent"], condition=Q(talent__isnull=False), name="nomination_one_per_talent_per_round"
            ),
            models.UniqueConstraint(
                fields=["round", "nominee_organization"],
                condition=Q(nominee_organization__isnull=False),
                name="nomination_one_per_organization_per_round",
            ),
            models.CheckConstraint(
                condition=Q(talent__isnull=True) | Q(nominee_organization__isnull=True),
                name="nomination_person_or_organization",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="nomination_round_status")]

    def __str__(self):
        return f"{self.nominee_name}（{self.round}）"

    @classmethod
    def status_label(cls, status: str, round_status: str) -> str:
        """The status as people should read it. A nomination still in review once its round's
        公示 has begun was not shortlisted and never will be: 未入围, not 评审中."""
        if status == cls.Status.IN_REVIEW and round_status in AwardRound.SHORTLIST_FINAL_STATES:
            return str(cls.NOT_SHORTLISTED_LABEL)
        return str(cls.Status(status).label)

    @property
    def status_shown(self) -> str:
        return self.status_label(self.status, self.round.status)

    @property
    def review_open(self) -> bool:
        """Reviewers may still score it: in review, and the round's shortlist not yet final."""
        return self.status == self.Status.IN_REVIEW and self.round.status not in AwardRound.SHORTLIST_FINAL_STATES

    @property
    def masked_contact_phone(self) -> str:
        return mask_contact(self.contact_phone)

    @property
    def reference_no(self) -> str:
        """受理编号 shown to the unit and in staff screens."""
        return f"{self.round.year}{self.round.programme.code.upper()}{self.pk:06d}"


class NominationMaterial(models.Model):
    unit_owner = "nomination__nominating_unit"

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("推荐表（盖章）")
        SUPPORTING = "supporting", _("证明材料")

    nomination = models.ForeignKey(Nomination, verbose_name=_("推荐"), on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="nominations/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("推荐材料")
        verbose_name_plural = _("推荐材料")

    def __str__(self):
        return self.original_name


class Review(models.Model):
    """One reviewer's assignment to one nomination, and once given, the score."""

    unit_owner = "nomination__nominating_unit"

    nomination = models.ForeignKey(Nomination, verbose_name=_("推荐"), on_delete=models.CASCADE, related_name="reviews")
    # The nomination's round, copied so that a round's ranking reads only its own reviews
    # (an index-only scan) instead of every review ever given.
    round = models.ForeignKey(AwardRound, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="+", editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT, related_name="award_reviews"
    )
    score = models.PositiveSmallIntegerField(
        _("评分"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(_("评审意见"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("分配人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"), default=timezone.now)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "reviewer"], name="review_one_per_reviewer"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="review_score_0_100"),
        ]
        indexes = [
            models.Index(fields=["reviewer", "scored_at"], name="review_reviewer_scored"),
            models.Index(fields=["round", "nomination"], include=["score"], name="review_round_scores"),
        ]

    def __str__(self):
        return f"{self.reviewer_name} → {self.nomination.nominee_name}"

    def save(self, *args, **kwargs):
        if self.round_id is None:
            self.round_id = Nomination.objects.values_list("round_id", flat=True).get(pk=self.nomination_id)
        super().save(*args, **kwargs)

    @property
    def reviewer_name(self) -> str:
        return person_name(self.reviewer)


class Objection(models.Model):
    """异议: raised by anyone while a round's 公示 runs."""

    unit_owner = "nomination__nominating_unit"

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    round = models.ForeignKey(AwardRound, verbose_name=_("届次"), on_delete=models.PROTECT, related_name="objections")
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("针对的拟表彰对象"), null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField(_("姓名"), max_length=50)
    contact = EncryptedTextField(_("联系方式"))
    reason = models.TextField(_("异议内容及理由"))
    status = models.CharField(_("处理状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    reply = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self):
        return _("对%(round)s的异议") % {"round": self.round}

    @property
    def masked_contact(self) -> str:
        return mask_contact(self.contact)
