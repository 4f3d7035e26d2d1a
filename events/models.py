"""Events of every kind, their public sign-up, check-in and outcomes.

Seats are guarded in the database as well as in the services: the event row carries its
counters (taken seats, waiting list, pending approvals, check-ins), a check constraint
keeps the taken seats within capacity, and a partial unique constraint keeps one mobile to
one active place per event. The services change counters and statuses only while holding
the event row (``select_for_update``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from association import pagecache
from association.crypto import EncryptedTextField, mask_mobile, mask_name
from association.filecheck import SafeImageField
from association.formatting import chinese_datetime
from association.models import County, Organization
from volunteers.models import ServiceRecord, ServiceTeam, Volunteer

from .validators import validate_image

MOBILE_PURPOSE = "event-registration-mobile"
mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入 11 位手机号码，例如 13812345678。"))


def private_storage():
    return storages["private"]


class EventQuerySet(models.QuerySet):
    def public(self):
        """What the public may see: everything except drafts (an IN list, so indexes serve it)."""
        return self.filter(status__in=Event.PUBLIC_STATUSES)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now())

    def overlapping(self, start, end):
        """Events that take place at some time in [start, end)."""
        return self.filter(start__lt=end, end__gte=start)


class Event(models.Model):
    unit_owner = "organiser"

    class Kind(models.TextChoices):
        POPSCI_DAY = "popsci_day", _("科普日活动")
        SCIENCE_WEEK = "science_week", _("科技活动周")
        SEMINAR = "seminar", _("座谈会")
        ACADEMIC = "academic", _("学术年会/论坛")
        INDUSTRY_CONFERENCE = "industry", _("产业技术大会")
        SURVEY = "survey", _("调研")
        TRAINING = "training", _("培训讲座")
        SCIENCE_VAN = "science_van", _("科普大篷车")
        HEALTH_CLINIC = "clinic", _("健康义诊")
        COMPETITION = "competition", _("竞赛")
        PERFORMANCE = "performance", _("文艺汇演")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")
        FINISHED = "finished", _("已结束")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED, Status.FINISHED)

    title = models.CharField(_("活动名称"), max_length=150)
    kind = models.CharField(_("活动类别"), max_length=20, choices=Kind.choices, db_index=True)
    series = models.CharField(
        _("系列"), max_length=100, blank=True, db_index=True,
        help_text=_("同一系列的活动（如历届“中国（濮阳）石化产业技术发展大会”）填写相同名称，页面上互相关联。"),
    )
    # 青少年: a child under 14 signs up only with a guardian's statement (个人信息保护法 art. 31).
    for_youth = models.BooleanField(
        _("面向青少年"), default=False, db_default=False,
        help_text=_("面向青少年的活动报名时询问年龄，未满14周岁的须由监护人填写信息并同意。"),
    )
    summary = models.CharField(_("一句话简介"), max_length=200, blank=True)
    description = models.TextField(_("活动介绍"), blank=True)
    organiser = models.ForeignKey(
        Organization, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="organised_events"
    )
    partners = models.ManyToManyField(
        Organization, verbose_name=_("协办/承办单位"), blank=True, related_name="partnered_events"
    )
    teams = models.ManyToManyField(ServiceTeam, verbose_name=_("参与的服务队"), blank=True, related_name="events")
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    venue = models.CharField(_("地点"), max_length=200)
    county = models.ForeignKey(
        County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    cover = SafeImageField(
        _("封面图片"), upload_to="events/covers/%Y/%m/", blank=True, validators=[validate_image],
        help_text=_("JPEG、PNG 或 WebP，不超过 5 MB，建议宽高比 16:9。"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    cancellation_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    # Sign-up settings.
    registration_open = models.BooleanField(_("开放报名"), default=False)
    capacity = models.PositiveIntegerField(
        _("名额"), null=True, blank=True, help_text=_("留空表示不限名额。")
    )
    registration_deadline = models.DateTimeField(
        _("报名截止时间"), null=True, blank=True, help_text=_("留空表示活动开始前均可报名。")
    )
    waiting_list = models.BooleanField(_("满员后接受候补"), default=True)
    needs_approval = models.BooleanField(_("报名需审核"), default=False)

    # Counters kept by the services while they hold this row.
    seats_taken = models.PositiveIntegerField(_("已占名额"), default=0, editable=False)
    waitlisted_count = models.PositiveIntegerField(_("候补人数"), default=0, editable=False)
    pending_count = models.PositiveIntegerField(_("待审核人数"), default=0, editable=False)
    checked_in_count = models.PositiveIntegerField(_("签到人数"), default=0, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(condition=Q(checked_in_count__lte=F("seats_taken")), name="event_checked_in_hold_seats"),
        ]
        indexes = [
            # past events, latest first; the calendar's month (with the next one)
            models.Index(fields=["start", "id"], name="event_start_id"),
            # upcoming events, and both totals of the list page from the index alone
            models.Index(fields=["end", "status"], name="event_end_status"),
            # the units' data exchange: changed since the last sync, in the order it pages through
            models.Index(fields=["updated", "id"], name="event_updated_id"),
        ]

    # Written only by the services, while they hold the row, naming them in update_fields.
    SERVICE_FIELDS = frozenset({"seats_taken", "waitlisted_count", "pending_count", "checked_in_count", "status",
                                "published_at", "cancellation_reason"})
    # Shown only on the event's own page (places left, sign-up state), not in the lists.
    COUNT_FIELDS = frozenset({"seats_taken", "waitlisted_count", "pending_count", "checked_in_count"})

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A whole-row save of a copy read earlier (the admin's form, a script) never puts
        # back old counts or an old status: an existing event saved without update_fields
        # writes everything but the fields the services keep.
        counts_only = kwargs.get("update_fields") is not None and set(kwargs["update_fields"]) <= self.COUNT_FIELDS
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.SERVICE_FIELDS
            ]
        super().save(*args, **kwargs)
        self.forget_cached_pages(counts_only=counts_only)

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        pages = self.cached_pages()
        result = super().delete(*args, **kwargs)
        pagecache.forget_on_commit(*pages)
        return result

    def cached_pages(self, *, counts_only: bool = False) -> list[str]:
        own = [self.get_absolute_url(), reverse("api-v1:event_detail", args=[self.pk])]
        if counts_only:
            return own
        return [*own, reverse("events:list"), reverse("home"), reverse("api-v1:event_list")]

    def forget_cached_pages(self, *, counts_only: bool = False) -> None:
        """Every change of the event (a sign-up or cancellation moving its counts, staff
        editing or cancelling it) reaches its page in the anonymous page cache as it commits;
        a change of what the lists show reaches them too (``association.pagecache``). Called
        after the save, so the kept parts (``association.fragments``, told by post_save)
        have their new version before the page is rendered afresh."""
        pagecache.forget_on_commit(*self.cached_pages(counts_only=counts_only))

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("结束时间不能早于开始时间。")
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors["registration_deadline"] = _("报名截止时间不能晚于活动结束时间。")
        if self.capacity is not None and self.capacity < self.seats_taken:
            errors["capacity"] = _("已有 %(n)s 人报名成功，名额不能少于这个数。") % {"n": self.seats_taken}
        if errors:
            raise ValidationError(errors)

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def signup_closed_reason(self, now=None) -> str:
        """Why the public cannot sign up now, in Chinese; "" when they can."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return _("活动已取消。")
        if self.status == self.Status.FINISHED or self.end < now:
            return _("活动已结束。")
        if self.status != self.Status.PUBLISHED:
            return _("活动尚未发布。")
        if not self.registration_open:
            return _("本活动不开放网上报名。")
        if now >= self.start:
            return _("活动已开始，报名已截止。")
        if self.registration_deadline and now > self.registration_deadline:
            return _("报名已截止。")
        if self.is_full and not self.waiting_list:
            return _("名额已满。")
        return ""

    # What the list's badge and the API call the sign-up's state: (code, words).
    SIGNUP_STATES = {
        "open": _("报名中"),
        "waiting_list": _("名额已满 · 可候补"),
        "full": _("名额已满"),
        "closed": _("报名已截止"),
        "cancelled": _("已取消"),
        "ended": _("活动已结束"),
        "no_signup": _("不开放网上报名"),
    }

    def signup_state(self, now=None) -> tuple[str, str]:
        """The sign-up's state as the public list shows it (its badge) and the API answers
        it: a stable code and the page's words (with the places left while open)."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return "cancelled", str(self.SIGNUP_STATES["cancelled"])
        if not self.signup_closed_reason(now):
            if self.capacity is None:
                return "open", str(_("报名中 · 不限名额"))
            if self.is_full:
                return "waiting_list", str(self.SIGNUP_STATES["waiting_list"])
            return "open", str(_("报名中 · 剩余 %(n)s 个名额")) % {"n": self.seats_left}
        if self.registration_open and self.end >= now:
            # A full event whose deadline is still ahead is full, not closed.
            deadline_passed = now >= self.start or (self.registration_deadline and now > self.registration_deadline)
            if self.is_full and not deadline_passed:
                return "full", str(self.SIGNUP_STATES["full"])
            return "closed", str(self.SIGNUP_STATES["closed"])
        if self.status == self.Status.FINISHED or self.end < now:
            return "ended", str(self.SIGNUP_STATES["ended"])
        return "no_signup", str(self.SIGNUP_STATES["no_signup"])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def accepts_signups(self) -> bool:
        return not self.signup_closed_reason()


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Registration.ACTIVE)

    def holding_seats(self):
        return self.filter(status__in=Registration.HOLDING_SEAT)


class Registration(models.Model):
    unit_owner = "event__organiser"

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        CONFIRMED = "confirmed", _("报名成功")
        WAITLISTED = "waitlisted", _("候补中")
        CHECKED_IN = "checked_in", _("已签到")
        CANCELLED = "cancelled", _("已取消")
        REJECTED = "rejected", _("未通过审核")

    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.CHECKED_IN)
    HOLDING_SEAT = (Status.CONFIRMED, Status.CHECKED_IN)

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("姓名"), max_length=50)
    mobile = EncryptedTextField(_("手机号码"))
    mobile_hash = models.CharField(_("手机号码校验值"), max_length=64, editable=False)
    email = models.EmailField(_("电子邮箱"), blank=True)
    organization = models.CharField(_("工作单位"), max_length=120, blank=True)
    # A child under 14 at an event for young people: their guardian, and the version of the
    # guardian's statement agreed to (volunteers.consents); empty for everyone else.
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True, db_default="")
    guardian_mobile = EncryptedTextField(_("监护人手机号码"), blank=True, default="", db_default="")
    guardian_statement_version = models.CharField(_("监护人同意声明版本"), max_length=20, blank=True, db_default="")
    # The account logged in when signing up (none for a sign-up without logging in): the
    # sign-up then shows on that person's own page, as do those made with their mobile.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报名账号"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="event_registrations", editable=False,
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, db_index=True)
    token = models.CharField(_("凭证"), max_length=64, unique=True, editable=False)
    check_in_code = models.CharField(_("签到码"), max_length=12, editable=False)
    created = models.DateTimeField(_("报名时间"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    # The status the attendee was last told about by e-mail: tasks compare it with the
    # current status, so running a notice task twice sends one e-mail.
    notified_status = models.CharField(_("已通知状态"), max_length=20, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        permissions = [
            ("view_personal_data", _("查看报名者完整手机号码（含导出）")),
            ("check_in_registration", _("现场签到")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mobile_hash"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted", "checked_in"]),
                name="registration_one_active_place_per_mobile",
                violation_error_message=_("该手机号码已报名本活动。"),
            ),
            models.UniqueConstraint(fields=["event", "check_in_code"], name="registration_unique_check_in_code"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "id"], name="registration_event_status"),
            # a volunteer's own sign-ups, found by the mobile they registered with
            models.Index(fields=["mobile_hash"], name="registration_mobile_hash"),
        ]

    def __str__(self):
        return f"{mask_name(self.name)} · {self.event_id}"

    def get_absolute_url(self):
        return reverse("events:registration", args=[self.token])

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_guardian_mobile(self) -> str:
        return mask_mobile(self.guardian_mobile)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED, self.Status.WAITLISTED)

    @property
    def cancel_question(self) -> str:
        """What the attendee is asked before cancelling: what they give up depends on where they stand."""
        if self.status == self.Status.WAITLISTED:
            return _("确定退出候补吗？退出后您将失去候补第 %(n)s 位的位置，如需参加须重新报名。") % {"n": self.waiting_position}
        if self.status == self.Status.PENDING:
            return _("确定取消报名吗？取消后主办方将不再审核您的报名，如需参加须重新报名。")
        if self.event.waitlisted_count:
            return _("确定取消报名吗？取消后您的名额将自动让给候补名单中的第一位。")
        return _("确定取消报名吗？取消后您的名额将开放给其他人报名。")

    @cached_property
    def waiting_position(self) -> int | None:
        """1 for the first on the waiting list; one query, only on the attendee's own page."""
        if self.status != self.Status.WAITLISTED:
            return None
        return Registration.objects.filter(event_id=self.event_id, status=self.Status.WAITLISTED, id__lte=self.id).count()


class EventOutcome(models.Model):
    """成效: what an event achieved, for its page and the annual report."""

    unit_owner = "event__organiser"

    event = models.OneToOneField(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="outcome")
    activities_held = models.PositiveIntegerField(_("开展活动场次"), default=0, help_text=_("系列活动的场次，单场活动填 1 或留 0。"))
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    beneficiaries = models.PositiveIntegerField(_("受益人次"), default=0)
    materials_distributed = models.PositiveIntegerField(_("发放资料（份）"), default=0)
    projects_signed = models.PositiveIntegerField(_("签约项目（个）"), default=0)
    contract_value = models.DecimalField(
        _("协议资金（万元）"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    technologies_promoted = models.PositiveIntegerField(_("推广新技术新品种（项）"), default=0)
    notes = models.TextField(_("成效说明"), blank=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("活动成效")
        verbose_name_plural = _("活动成效")

    def __str__(self):
        return str(self.event)


class EventPhoto(models.Model):
    unit_owner = "event__organiser"

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos")
    image = SafeImageField(_("照片"), upload_to="events/photos/%Y/%m/", validators=[validate_image])
    caption = models.CharField(_("说明"), max_length=150, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self):
        return self.caption or f"{self.event} #{self.pk}"


class RosterExport(models.Model):
    """An Excel roster of one event, produced in the request or by a Celery task."""

    unit_owner = "event__organiser"

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="roster_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    unmasked = models.BooleanField(_("含完整手机号码"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="events/rosters/%Y/%m/", blank=True)
    error = models.CharField(_("错误信息"), max_length=300, blank=True)
    created = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("名单导出")
        verbose_name_plural = _("名单导出")

    def __str__(self):
        return f"{self.event} · {chinese_datetime(self.created)}"

    def get_absolute_url(self):
        return reverse("events:export", args=[self.pk])


class ServiceAttendance(models.Model):
    """A volunteer's own check-in and check-out (扫码签到/签退) at an event their team serves
    at: once each per event; the check-out becomes a service record for the time between."""

    unit_owner = "event__organiser"

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="attendances")
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="attendances"
    )
    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("服务队伍"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    record = models.OneToOneField(
        ServiceRecord, verbose_name=_("服务记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-checked_in_at"]
        verbose_name = _("志愿者扫码签到")
        verbose_name_plural = _("志愿者扫码签到")
        constraints = [
            models.UniqueConstraint(fields=["event", "volunteer"], name="attendance_once_per_event",
                                    violation_error_message=_("您已在本活动签到过。")),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("checked_in_at")),
                name="attendance_out_after_in",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.event_id}"
