"""What people type: registration, ordering a service, rating it, and leaders' forms."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.choices import Gender, TitleLevel
from association.models import County
from association.throttle import PublicFormMixin

from . import consents, idcard
from .models import Consent, ServiceOrder, ServiceTeam, Volunteer

EMAIL_MESSAGE = _("请输入正确的电子邮箱地址，例如 name@example.org。")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(PublicFormMixin, forms.Form):
    throttle_group = "volunteer-register"
    person_fields = ("id_number",)
    person_error = _("这个身份证号码在一小时内提交的次数过多，请稍后再试。")

    name = forms.CharField(label=_("姓名"), max_length=50, help_text=_("请填写身份证上的姓名。"))
    id_consent = forms.BooleanField(
        label=_("我单独同意市科协处理我的身份证号（敏感个人信息），用于实名核验和志愿服务记录证明"), required=False,
        help_text=_("不同意也可以注册：请不填身份证号，另填性别和出生日期；证明上将不显示身份证号。"),
    )
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "maxlength": "18"}),
        help_text=_("18位居民身份证号码，末位为X时请输入大写X。性别和出生日期按身份证号登记，无需另填。"),
    )
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", "——请选择——"), *Gender.choices],
                               help_text=_("不填身份证号时必填。"))
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE_INPUT,
                                 help_text=_("不填身份证号时必填。"), error_messages={"invalid": _("请按 2000-01-31 的格式填写日期。")})
    phone = forms.CharField(label=_("手机号码"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("作为登录名使用，审核结果也会发到这个邮箱。"),
                             error_messages={"invalid": EMAIL_MESSAGE})
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False, help_text=_("未满14周岁时必填。"))
    guardian_mobile = forms.CharField(label=_("监护人手机号码"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel"}), help_text=_("未满14周岁时必填，加密存储。"))
    guardian_statement = forms.BooleanField(label=_("我是监护人，已阅读并同意《监护人同意声明》"), required=False)
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=[("", "——请选择——"), *Volunteer.PoliticalStatus.choices])
    education = forms.ChoiceField(label=_("学历"), choices=[("", "——请选择——"), *Volunteer.Education.choices])
    title = forms.CharField(label=_("职称"), max_length=60, required=False, help_text=_("例如：高级工程师、主任医师、高级农艺师"))
    title_level = forms.TypedChoiceField(label=_("职称级别"), choices=[("", "——请选择——"), *TitleLevel.choices], coerce=int,
                                         empty_value=None, required=False)
    field = forms.CharField(label=_("专业领域"), max_length=100, help_text=_("例如：化工、生物基材料、农业、医学"))
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    county = forms.ModelChoiceField(label=_("所在县（区）"), queryset=County.objects.all(), empty_label="——请选择——")
    skills = forms.CharField(label=_("专业特长"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    teams = forms.ModelMultipleChoiceField(
        label=_("意向服务队（可多选）"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=ServiceTeam.objects.filter(kind=ServiceTeam.Kind.TEAM, is_active=True).order_by("parent__order", "order", "name"),
    )
    password1 = forms.CharField(label=_("设置密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("至少8位，不能全是数字。"))
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(
        label=_("我已阅读并同意《科技志愿者个人信息处理告知书》"),
        error_messages={"required": _("请阅读个人信息处理告知书，并勾选同意后再提交。")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise ValidationError(_("请填写完整的真实姓名。"))
        return name

    def clean_id_number(self):
        value = idcard.normalise_id_number(self.cleaned_data["id_number"])
        if not value:
            return ""
        self.id_info = idcard.parse_id_number(value)
        return value

    def clean_phone(self):
        return idcard.validate_mobile(self.cleaned_data["phone"])

    def clean_guardian_mobile(self):
        value = self.cleaned_data["guardian_mobile"]
        return idcard.validate_mobile(value) if value.strip() else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _clean_identity(self, data) -> None:
        """The ID number only with its separate consent; without it, gender and birth date."""
        info = getattr(self, "id_info", None)
        if data.get("id_consent"):
            # Not asked with an ID number: whatever an old page posted for them is ignored.
            for name in ("gender", "birth_date"):
                self._errors.pop(name, None)
            if "id_number" in data and not data["id_number"]:
                self.add_error("id_number", _("您勾选了单独同意，请填写身份证号；如不愿提供，请取消勾选并填写性别和出生日期。"))
            elif info:
                data["gender"], data["birth_date"] = info.gender, info.birth_date
        else:
            if data.get("id_number"):
                self.add_error("id_number", _("未勾选单独同意时不能登记身份证号：请勾选同意，或清空身份证号并填写性别和出生日期。"))
            if not data.get("gender"):
                self.add_error("gender", _("不填身份证号时，请选择性别。"))
            if "birth_date" in data and not data.get("birth_date") and "birth_date" not in self.errors:
                self.add_error("birth_date", _("不填身份证号时，请填写出生日期。"))

    def _clean_age(self, data) -> None:
        born = data.get("birth_date")
        if not born or self.errors.get("id_number") or self.errors.get("birth_date"):
            return
        field = "id_number" if data.get("id_consent") else "birth_date"
        if born > timezone.localdate():
            self.add_error(field, _("出生日期不能晚于今天。"))
        elif consents.age_on(born) < consents.volunteer_min_age():
            self.add_error(field, _("科技志愿者须年满%(age)s周岁。") % {"age": consents.volunteer_min_age()})
        elif consents.needs_guardian(born):
            if not data.get("guardian_name", "").strip():
                self.add_error("guardian_name", _("未满14周岁的，请填写监护人姓名。"))
            if "guardian_mobile" in data and not data["guardian_mobile"]:
                self.add_error("guardian_mobile", _("未满14周岁的，请填写监护人手机号码。"))
            if not data.get("guardian_statement"):
                self.add_error("guardian_statement", _("未满14周岁的，须由监护人阅读并勾选《监护人同意声明》。"))

    def clean(self):
        data = super().clean()
        self._clean_identity(data)
        self._clean_age(data)
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = get_user_model()(username=data.get("email", ""), email=data.get("email", ""), last_name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    @property
    def under_guardian(self) -> bool:
        return consents.needs_guardian(self.cleaned_data.get("birth_date"))

    def consents(self) -> set:
        """The consents given with this form (Consent.Kind values)."""
        given = {Consent.Kind.PRIVACY_NOTICE}
        if self.cleaned_data.get("id_consent"):
            given.add(Consent.Kind.ID_NUMBER)
        if self.under_guardian and self.cleaned_data.get("guardian_statement"):
            given.add(Consent.Kind.GUARDIAN)
        return given

    def volunteer_data(self) -> dict:
        d = self.cleaned_data
        guardian = self.under_guardian
        return {
            "name": d["name"], "id_number": d["id_number"] if d.get("id_consent") else "", "mobile": d["phone"],
            "email": d["email"], "gender": d.get("gender") or "", "birth_date": d.get("birth_date"),
            "guardian_name": d["guardian_name"].strip() if guardian else "",
            "guardian_mobile": d["guardian_mobile"] if guardian else "",
            "political_status": d["political_status"], "education": d["education"], "title": d["title"],
            "title_level": d["title_level"], "field": d["field"], "employer": d["employer"], "county": d["county"], "skills": d["skills"],
        }


class OrderForm(PublicFormMixin, forms.ModelForm):
    throttle_group = "volunteer-order"
    person_fields = ("contact_phone",)

    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, help_text=_("手机号码或带区号的固定电话，如 0393-8800110。"))

    class Meta:
        model = ServiceOrder
        fields = ["orderer_kind", "orderer_name", "contact_name", "contact_phone", "email", "county", "address",
                  "wanted_date", "audience_size", "needs"]
        widgets = {"wanted_date": DATE_INPUT, "needs": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"email": _("选填：填写后会收到查询进度的链接。"), "needs": _("希望讲什么、面向哪些人、有无场地和设备等。")}
        error_messages = {"email": {"invalid": EMAIL_MESSAGE}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].required = True
        self.fields["county"].empty_label = "——请选择——"
        self.fields["orderer_kind"].choices = [("", "——请选择——"), *ServiceOrder.OrdererKind.choices]

    def order_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def clean_contact_phone(self):
        import re
        import unicodedata

        value = re.sub(r"[\s]", "", unicodedata.normalize("NFKC", self.cleaned_data["contact_phone"]))
        if re.fullmatch(r"0[0-9]{2,3}-?[0-9]{7,8}", value):
            return value
        return idcard.validate_mobile(value)

    def clean_wanted_date(self):
        value = self.cleaned_data["wanted_date"]
        today = timezone.localdate()
        if value <= today:
            raise ValidationError(_("期望服务日期应晚于今天，以便安排派单。"))
        if (value - today).days > 365:
            raise ValidationError(_("只能预约一年以内的服务。"))
        return value

    def clean_audience_size(self):
        value = self.cleaned_data["audience_size"]
        if value is not None and value < 1:
            raise ValidationError(_("预计参加人数至少为 1 人。"))
        return value


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, "★★★★★ 非常满意"), (4, "★★★★ 满意"), (3, "★★★ 一般"), (2, "★★ 不太满意"), (1, "★ 不满意")],
        error_messages={"required": _("请选择评分。")},
    )
    comment = forms.CharField(label=_("评价与建议"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("拒单原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请说明拒单的原因，便于工作人员另行派单。")})


class RecordHoursForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(
        label=_("参加服务的志愿者"), queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名志愿者。")},
    )
    date = forms.DateField(label=_("服务日期"), widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("每人服务时长（小时）"), min_value=0.5, max_value=24, decimal_places=1,
                               error_messages={"min_value": _("时长至少 0.5 小时。"), "max_value": _("单日时长不能超过 24 小时。")})
    title = forms.CharField(label=_("服务内容"), max_length=200, required=False,
                            help_text=_("为点单登记时可不填，默认为服务项目名称。"))

    def __init__(self, *args, volunteers_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if volunteers_queryset is not None:
            self.fields["volunteers"].queryset = volunteers_queryset

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError(_("服务日期不能晚于今天。"))
        return value


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("核验码"), max_length=20, widget=forms.TextInput(attrs={"placeholder": "XXXX-XXXX-XXXX"}))


class HoursClaimForm(forms.Form):
    """补录: an activity of the volunteer's teams, or a date and what was done; hours; why; evidence."""

    activity = forms.ChoiceField(label=_("服务活动"), required=False,
                                 help_text=_("近 90 天您所在队伍的活动；不在列表中的，请选“其他”并填写日期和内容。"))
    date = forms.DateField(label=_("服务日期"), required=False, widget=DATE_INPUT)
    title = forms.CharField(label=_("服务内容"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("申请时长（小时）"), min_value=0.1, max_value=24, decimal_places=1,
                               error_messages={"min_value": _("时长至少 0.1 小时。"),
                                               "max_value": _("单日时长不能超过 24 小时。"),
                                               "required": _("请填写申请的服务时长。")})
    reason = forms.CharField(label=_("补录理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请说明为何需要补录（例如：活动当天未能签到）。")})
    evidence = forms.FileField(label=_("证明材料"), help_text=_("现场照片（JPEG、PNG）或 PDF 文件，不超过 10 MB。仅审核人可见。"),
                               error_messages={"required": _("请上传证明材料（现场照片或 PDF 文件）。")})

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {a.key: a for a in activities}
        self.fields["activity"].choices = [("", _("其他（填写日期和内容）")),
                                           *[(a.key, a.label) for a in activities]]

    def clean(self):
        data = super().clean()
        activity = self.activities.get(data.get("activity") or "")
        if activity is None:
            if not data.get("date"):
                self.add_error("date", _("请选择活动，或填写服务日期。"))
            elif data["date"] > timezone.localdate():
                self.add_error("date", _("服务日期不能晚于今天。"))
            if not (data.get("title") or "").strip():
                self.add_error("title", _("请填写服务内容。"))
        elif data.get("hours") and activity.max_hours is not None and data["hours"] > activity.max_hours:
            self.add_error("hours", _("申请时长不能超过活动时长 %(n)s 小时。") % {"n": activity.max_hours})
        return data


class ClaimQueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))])
    team = forms.TypedChoiceField(label=_("队伍"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("服务日期从"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, teams=(), **kwargs):
        from .models import HoursClaim

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *HoursClaim.Status.choices]
        self.fields["team"].choices = [("", _("全部队伍")), *[(t.pk, t.name) for t in teams]]


class RefuseClaimForm(forms.Form):
    # The reason sits in the same form as 通过所选: the browser must not ask for it there
    # (the view asks for it when the choice is 不通过所选).
    use_required_attribute = False

    reason = forms.CharField(label=_("未通过原因"), max_length=300,
                             error_messages={"required": _("请填写未通过的原因，志愿者会看到它。")})
