"""What people type: the public forms (nomination, objection, demand), reviewers' scores, staff's action forms."""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association import filecheck
from association.choices import Gender, TitleLevel
from association.formatting import chinese_date
from association.models import County, Organization
from association.throttle import PublicFormMixin
from volunteers.models import ServiceTeam
from volunteers.selectors import volunteer_with_number

from .models import (
    AwardRound,
    Field,
    Industry,
    Match,
    Nomination,
    Talent,
    TechDemand,
    person_name,
)
from .validators import MATERIAL_MAX_BYTES, material_content_type

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", re.ASCII)
MAX_ATTACHMENTS = 5

# Who may nominate: the association, its county and grassroots bodies, societies and institutions.
NOMINATING_KINDS = [
    Organization.Kind.ASSOCIATION,
    Organization.Kind.DEPARTMENT,
    Organization.Kind.INSTITUTION,
    Organization.Kind.COUNTY_ASSOCIATION,
    Organization.Kind.TOWNSHIP_ASSOCIATION,
    Organization.Kind.ENTERPRISE_ASSOCIATION,
    Organization.Kind.UNIVERSITY_ASSOCIATION,
    Organization.Kind.PARK_ASSOCIATION,
    Organization.Kind.SOCIETY,
    Organization.Kind.OTHER,
]


def nominating_units(award_round: AwardRound):
    """The units that may be named as 推荐单位 for a round: those given a 推荐名额 when the
    round sets quotas, else every active unit of the nominating kinds."""
    units = Organization.objects.active()
    if award_round.unit_quotas.exists():
        units = units.filter(pk__in=award_round.unit_quotas.filter(quota__gt=0).values("unit_id"))
    else:
        units = units.filter(kind__in=NOMINATING_KINDS)
    return units.order_by("kind", "order", "name")


def clean_phone(value: str) -> str:
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))  # full-width digits as ASCII
    if not PHONE_RE.fullmatch(value):
        raise ValidationError(_("请填写正确的电话号码：11 位手机号，或带区号的固定电话（如 0393-8800110）。"))
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ChineseDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# -- public: nominate ----------------------------------------------------------------------


class NominationForm(PublicFormMixin, forms.Form):
    """A unit nominates a person, an achievement's first author or a society for a round."""

    throttle_group = "talents-nominate"
    # A unit nominates several people in one sitting: the person is the nominee.
    person_fields = ("contact_phone", "nominee_name")

    nominating_unit = forms.ModelChoiceField(
        label=_("推荐单位"), queryset=Organization.objects.none(), empty_label=_("请选择推荐单位"),
        help_text=_("须为市科协所属学会、县（区）科协、基层科协或直属单位。"),
    )
    nominee_name = forms.CharField(label=_("被推荐人姓名"), max_length=50)
    nominee_gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, widget=forms.RadioSelect)
    nominee_birth_date = forms.DateField(label=_("出生日期"), widget=ChineseDateInput())
    nominee_title = forms.CharField(label=_("职称 / 职务"), max_length=60, help_text=_("如：教授级高级工程师、主任医师"))
    nominee_title_level = forms.TypedChoiceField(label=_("职称级别"), choices=TitleLevel.choices, coerce=int)
    nominee_employer = forms.CharField(label=_("工作单位"), max_length=120)
    nominee_field = forms.ModelChoiceField(label=_("专业领域"), queryset=Field.objects.all(), empty_label=_("请选择"))
    nominee_contact = forms.CharField(
        label=_("被推荐人手机或电子邮箱"), max_length=100, required=False,
        help_text=_("选填。填写后，系统会告知本人推荐材料已提交、列入公示及评选结果；不会公开。"),
    )
    nominee_organization = forms.ModelChoiceField(
        label=_("被推荐的科技社团"), queryset=Organization.objects.none(), empty_label=_("请选择学会或协会"),
    )
    achievement_title = forms.CharField(label=_("成果名称"), max_length=200)
    summary = forms.CharField(
        label=_("主要事迹 / 推荐理由"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("3000 字以内，写明主要业绩、成果及其社会经济效益。"),
    )
    contact_person = forms.CharField(label=_("推荐单位联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系人电话"), max_length=20, help_text=_("仅用于工作联系，不会公开。"))
    recommendation = forms.FileField(
        label=_("推荐表（盖章扫描件）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF 或 JPG/PNG 图片，不超过 5 MB；须加盖推荐单位公章。"),
    )
    attachments = MultipleFileField(
        label=_("证明材料"), required=False,
        help_text=_("可选，最多 %(n)s 个文件，每个不超过 5 MB（获奖证书、论文首页等）。") % {"n": MAX_ATTACHMENTS},
    )

    PERSON_FIELDS = ["nominee_name", "nominee_gender", "nominee_birth_date", "nominee_title", "nominee_title_level",
                     "nominee_employer", "nominee_field", "nominee_contact"]

    def __init__(self, *args, award_round: AwardRound, unit: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.award_round = award_round
        # A unit's own account nominates for the unit (本单位推荐): no choice of unit.
        self.unit = unit
        programme = award_round.programme
        if unit is not None:
            del self.fields["nominating_unit"]
        else:
            self.fields["nominating_unit"].queryset = nominating_units(award_round)
            if award_round.unit_quotas.exists():
                self.fields["nominating_unit"].help_text = _("本届按单位分配推荐名额，列出的是分配到名额的单位；超出名额的推荐不予受理。")
        if programme.is_for_organizations:
            for name in [*self.PERSON_FIELDS, "achievement_title"]:
                del self.fields[name]
            self.fields["nominee_organization"].queryset = (
                Organization.objects.active().filter(kind=Organization.Kind.SOCIETY).order_by("order", "name")
            )
            nominee_block = Fieldset(_("被推荐社团"), "nominee_organization")
        else:
            del self.fields["nominee_organization"]
            if programme.nominee_kind != programme.NomineeKind.ACHIEVEMENT:
                del self.fields["achievement_title"]
            else:
                self.fields["nominee_name"].label = _("第一完成人姓名")
            if programme.max_age:
                self.fields["nominee_birth_date"].help_text = _("年龄按%(date)s计算，不超过 %(max)s 周岁。") % {
                    "date": chinese_date(award_round.reference_date),
                    "max": programme.max_age,
                }
            nominee_block = Fieldset(
                _("被推荐人"),
                *(["achievement_title"] if "achievement_title" in self.fields else []),
                Div(Div("nominee_name", css_class="col-md-6"), Div("nominee_gender", css_class="col-md-6"), css_class="row"),
                Div(Div("nominee_birth_date", css_class="col-md-6"), Div("nominee_field", css_class="col-md-6"), css_class="row"),
                Div(Div("nominee_title", css_class="col-md-6"), Div("nominee_title_level", css_class="col-md-6"), css_class="row"),
                "nominee_employer",
                "nominee_contact",
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("推荐单位"), *(["nominating_unit"] if unit is None else []),
                     Div(Div("contact_person", css_class="col-md-6"), Div("contact_phone", css_class="col-md-6"), css_class="row")),
            nominee_block,
            Fieldset(_("推荐理由与材料"), "summary",
                     HTML('{% if form.files_dropped %}<div class="alert alert-warning small" role="status">'
                          '为安全起见，已选择的文件没有保留，请重新选择推荐表和证明材料。</div>{% endif %}'),
                     "recommendation", "attachments", "website", *self.challenge_fields(),
                     HTML('<p class="small text-muted">材料仅供评审使用，保存在非公开存储中，只有经办工作人员和分配到的评审专家可以查看。</p>')),
        )

    @property
    def files_dropped(self) -> bool:
        """A form sent back with mistakes does not keep its uploads: the files must be chosen again."""
        return bool(self.files) and bool(self.errors)

    def clean_nominee_birth_date(self):
        value = self.cleaned_data["nominee_birth_date"]
        if value and value >= timezone.localdate():
            raise ValidationError(_("出生日期须早于今天。"))
        return value

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_nominee_contact(self):
        value = self.cleaned_data["nominee_contact"].strip()
        if not value:
            return ""
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("电子邮箱格式不正确，请检查。")) from None
            return value
        digits = "".join(ch for ch in value if ch.isdigit())
        if not re.fullmatch(r"1[3-9][0-9]{9}", digits) or re.sub(r"[\s-]", "", value) != digits:
            raise ValidationError(_("请填写 11 位手机号码或电子邮箱。"))
        return digits

    def clean_recommendation(self):
        upload = self.cleaned_data["recommendation"]
        material_content_type(upload)
        return upload

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("证明材料最多 %(n)s 个文件。") % {"n": MAX_ATTACHMENTS})
        errors = []
        for upload in files:
            try:
                material_content_type(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        """Run the award's rules now, so a reason shows beside the other mistakes (the service checks again)."""
        from .services import eligibility

        data = super().clean()
        candidate = eligibility.Candidate(
            name=data.get("nominee_name") or getattr(data.get("nominee_organization"), "name", ""),
            birth_date=data.get("nominee_birth_date"),
            title_level=data.get("nominee_title_level"),
            organization_id=getattr(data.get("nominee_organization"), "pk", None),
        )
        needed = {"nominee_organization"} if self.award_round.programme.is_for_organizations else {"nominee_name", "nominee_birth_date"}
        if needed <= set(data):
            for problem in eligibility.problems(self.award_round, candidate):
                field = problem.field if problem.field in self.fields and problem.field not in self.errors else None
                self.add_error(field, problem.message)
        return data

    def add_refusal(self, error) -> None:
        """Show why ``submit_nomination`` refused, beside the field it concerns where there is
        one (the rules' problems, the unit's 推荐名额); what was typed stays in the form."""
        problems = getattr(error, "problems", None) or [error]
        for problem in problems:
            field = getattr(problem, "field", None)
            self.add_error(field if field in self.fields else None, problem.message)

    def service_kwargs(self) -> dict:
        """The nomination as ``services.awards.submit_nomination`` takes it: rows by their ids."""
        data = dict(self.cleaned_data)
        data.pop("website", None)
        for row in ("nominating_unit", "nominee_organization", "nominee_field"):
            data[f"{row}_id"] = getattr(data.pop(row, None), "pk", None)
        if self.unit is not None:
            data["nominating_unit_id"] = self.unit.pk
        data["round_id"] = self.award_round.pk
        return data


class StaffNominationForm(NominationForm):
    """The same nomination entered by staff in the admin (本单位推荐, or a paper nomination
    typed in by the city's staff): the same fields, rules and file checks; no honeypot nor
    picture code (the view passes no request), the unit fixed for a unit's account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]


# -- public: objection ---------------------------------------------------------------------


class ObjectionForm(PublicFormMixin, forms.Form):
    throttle_group = "talents-objection"
    person_fields = ("contact",)

    nomination = forms.ModelChoiceField(
        label=_("针对的公示对象"), queryset=Nomination.objects.none(), required=False, empty_label=_("（针对整个公示名单）"),
    )
    name = forms.CharField(label=_("您的姓名"), max_length=50, help_text=_("实名提出，我们会对您的信息保密。"))
    contact = forms.CharField(label=_("联系电话"), max_length=20)
    reason = forms.CharField(
        label=_("异议内容及理由"), max_length=2000, min_length=10, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明具体事实，可提供线索或证明材料的获取方式。"),
    )

    def __init__(self, *args, award_round: AwardRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = (
            award_round.nominations.filter(status=Nomination.Status.PUBLICISED).select_related("nominating_unit").order_by("nominee_name")
        )
        self.fields["nomination"].label_from_instance = lambda n: f"{n.nominee_name}（{n.nominee_employer or n.nominating_unit}）"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_contact(self):
        return clean_phone(self.cleaned_data["contact"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        nomination = data.get("nomination")
        return {"name": data["name"], "contact": data["contact"], "reason": data["reason"],
                "nomination_id": nomination.pk if nomination else None}


# -- public: technology demand --------------------------------------------------------------


class DemandForm(PublicFormMixin, forms.Form):
    throttle_group = "talents-demand"
    person_fields = ("contact_phone",)

    kind = forms.ChoiceField(
        label=_("需求类型"), choices=TechDemand.Kind.choices, widget=forms.RadioSelect, initial=TechDemand.Kind.TECHNOLOGY,
        error_messages={"required": _("请选择需求类型：技术需求或人才需求。"), "invalid_choice": _("请从列出的需求类型中选择一项。")},
    )
    industry = forms.ChoiceField(
        label=_("所属行业"), choices=[("", _("请选择"))] + Industry.choices,
        error_messages={"required": _("请选择企业所属的行业。"), "invalid_choice": _("请从列表中选择所属行业。")},
    )
    related_fields = forms.ModelMultipleChoiceField(
        label=_("涉及专业领域"), queryset=Field.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选，便于我们推荐合适的专家。"),
        error_messages={"invalid_choice": _("请从列出的专业领域中勾选。"), "invalid_pk_value": _("请从列出的专业领域中勾选。"),
                        "invalid_list": _("请从列出的专业领域中勾选。")},
    )
    title = forms.CharField(
        label=_("需求名称"), max_length=120, help_text=_("如：聚乳酸改性增韧技术"),
        error_messages={"required": _("请填写需求名称，用一句话概括要解决的问题。"),
                        "max_length": _("需求名称请控制在 %(limit_value)d 个字以内（目前 %(show_value)d 个字）。")},
    )
    description = forms.CharField(
        label=_("需求描述"), max_length=3000, min_length=20, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("至少 20 个字，写明要解决的问题、现有基础和期望达到的指标。"),
        error_messages={
            "required": _("请填写需求描述，写明要解决的问题、现有基础和期望达到的指标。"),
            "min_length": _("需求描述至少需要 %(limit_value)d 个字（目前 %(show_value)d 个字），请补充要解决的问题、现有基础和期望指标，便于专家判断。"),
            "max_length": _("需求描述请控制在 %(limit_value)d 个字以内（目前 %(show_value)d 个字）。"),
        },
    )
    budget = forms.DecimalField(
        label=_("预算（万元）"), required=False, min_value=0, max_digits=10, decimal_places=2, help_text=_("留空表示面议。"),
        error_messages={
            "invalid": _("预算请填写数字（单位：万元），如 50 或 12.5；面议请留空。"),
            "min_value": _("预算不能为负数；面议请留空。"),
            "max_digits": _("预算金额过大，请以万元为单位填写，如 50 表示 50 万元。"),
            "max_whole_digits": _("预算金额过大，请以万元为单位填写，如 50 表示 50 万元。"),
            "max_decimal_places": _("预算最多保留 2 位小数，如 12.5。"),
        },
    )
    enterprise_name = forms.CharField(
        label=_("企业名称"), max_length=120,
        error_messages={"required": _("请填写企业全称。"),
                        "max_length": _("企业名称请控制在 %(limit_value)d 个字以内（目前 %(show_value)d 个字）。")},
    )
    county = forms.ModelChoiceField(
        label=_("所在县（区）"), queryset=County.objects.all(), required=False, empty_label=_("请选择"),
        error_messages={"invalid_choice": _("请从列表中选择所在县（区）。")},
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=50,
        error_messages={"required": _("请填写联系人姓名，便于工作人员与您联系。"),
                        "max_length": _("联系人姓名请控制在 %(limit_value)d 个字以内。")},
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, help_text=_("仅供市科协工作人员联系对接，不会公开。"),
        error_messages={"required": _("请填写联系电话：11 位手机号，或带区号的固定电话。"),
                        "max_length": _("请填写正确的电话号码：11 位手机号，或带区号的固定电话（如 0393-8800110）。")},
    )
    consent = forms.BooleanField(
        label=_("我同意市科协为对接需要保存上述联系信息，并在审核后公开需求内容（不含联系方式）。"),
        error_messages={"required": _("请阅读并勾选同意后再提交。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("需求内容"), "kind", "title",
                     Div(Div("industry", css_class="col-md-6"), Div("budget", css_class="col-md-6"), css_class="row"),
                     "related_fields", "description"),
            Fieldset(_("企业信息"),
                     Div(Div("enterprise_name", css_class="col-md-8"), Div("county", css_class="col-md-4"), css_class="row"),
                     Div(Div("contact_person", css_class="col-md-6"), Div("contact_phone", css_class="col-md-6"), css_class="row"),
                     "consent", "website", *self.challenge_fields()),
        )

    def clean_contact_phone(self):
        return clean_phone(self.cleaned_data["contact_phone"])

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("consent", "related_fields", "county", "website")}
        data["county_id"] = getattr(self.cleaned_data.get("county"), "pk", None)
        data["field_ids"] = [field.pk for field in self.cleaned_data.get("related_fields") or []]
        return data


# -- reviewers ---------------------------------------------------------------------------------


class ScoreForm(forms.Form):
    score = forms.IntegerField(
        label=_("评分（0–100 分）"), min_value=0, max_value=100,
        error_messages={"min_value": _("评分不能低于 0 分。"), "max_value": _("评分不能高于 100 分。"), "invalid": _("请填写 0 到 100 之间的整数。")},
    )
    comment = forms.CharField(label=_("评审意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# -- staff (admin intermediate pages) -------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("评审专家"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = person_name


class TalentAdminForm(forms.ModelForm):
    """The registry entry in the staff admin. The expert's volunteer account is linked by
    the number they registered with, typed in full: staff of the registry never get a list
    of the volunteers to pick from."""

    volunteer_number = forms.CharField(
        label=_("关联志愿者账号"),
        required=False,
        max_length=30,
        help_text=_("该专家也是注册志愿者时，输入其登记的手机号码或身份证号即可关联（只按完整号码查找）；留空则不变。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    unlink_volunteer = forms.BooleanField(label=_("解除与志愿者账号的关联"), required=False)

    class Meta:
        model = Talent
        # The admin's fieldsets choose the fields; whichever they are, the link is never a
        # plain choice of volunteer here.
        exclude = ["volunteer"]  # noqa: DJ006

    def clean_volunteer_number(self):
        value = self.cleaned_data["volunteer_number"].strip()
        if not value:
            return None
        volunteer = volunteer_with_number(value)
        if volunteer is None:
            raise ValidationError(_("没有以该手机号码或身份证号登记的志愿者，请核对后重新输入。"))
        other = Talent.objects.filter(volunteer=volunteer).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise ValidationError(_("该志愿者账号已关联人才“%(name)s”，不能重复关联。") % {"name": other.name})
        return volunteer

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("volunteer_number") and cleaned.get("unlink_volunteer"):
            raise ValidationError(_("关联与解除关联不能同时进行，请只选其一。"))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), help_text=_("表头与导出的文件相同；姓名、性别必填。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # By content: a zip with an Excel workbook inside, whatever the name says.
        filecheck.check_xlsx(upload, max_bytes=10 * MATERIAL_MAX_BYTES)
        return upload


class MatchForm(forms.Form):
    talents = forms.ModelMultipleChoiceField(
        label=_("推荐专家"), queryset=Talent.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("推荐服务队"), queryset=ServiceTeam.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_talent = forms.ModelChoiceField(
        label=_("其他专家（按编号）"), queryset=Talent.objects.all(), required=False, widget=forms.NumberInput,
        help_text=_("不在推荐名单中的专家，可填写其人才库编号。"),
    )
    note = forms.CharField(label=_("对接说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, talents, teams, experts: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not experts:
            # A unit's page: the registry is the city's, so no expert is offered at all.
            del self.fields["talents"], self.fields["other_talent"]
        else:
            self.fields["talents"].queryset = talents
            self.fields["talents"].label_from_instance = (
                lambda t: f"{t.name}｜{t.title or t.get_title_level_display()}｜{t.employer}｜{t.field or ''}"
            )
        self.fields["teams"].queryset = teams

    def clean(self):
        data = super().clean()
        talents = list(data.get("talents") or [])
        if data.get("other_talent") and data["other_talent"] not in talents:
            talents.append(data["other_talent"])
        data["all_talents"] = talents
        if not talents and not data.get("teams"):
            raise ValidationError(_("请至少选择一位专家或一支服务队。"))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("对接结果"), choices=Match.Outcome.choices)
    note = forms.CharField(label=_("对接记录"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ShortlistTopForm(forms.Form):
    count = forms.IntegerField(label=_("按名次入选前"), min_value=1)
