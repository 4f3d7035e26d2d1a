"""What a volunteer types to use their rights over their own data: the password that
confirms a sensitive step, profile edits, correction requests, real-name changes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from association.choices import TitleLevel
from association.models import County

from . import idcard
from .forms import EMAIL_MESSAGE
from .models import Volunteer


class PasswordConfirmForm(forms.Form):
    """The account's password again: a sensitive step is taken by the person, not by
    whoever finds the browser still logged in."""

    password = forms.CharField(label=_("登录密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("请输入登录密码以确认是您本人操作。")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise ValidationError(_("密码不正确，请重新输入。"))
        return value


class DownloadForm(PasswordConfirmForm):
    fmt = forms.ChoiceField(label=_("文件格式"), widget=forms.RadioSelect, initial="xlsx", choices=[
        ("xlsx", _("Excel 表格（.xlsx），便于阅读")), ("json", _("JSON 文件（.json），便于转移到其他平台")),
    ])


class DeleteAccountForm(PasswordConfirmForm):
    confirm = forms.BooleanField(
        label=_("我已了解：注销后无法登录，资料和未确认的服务记录将被删除，已确认的服务时长只以匿名方式保留"),
        error_messages={"required": _("请勾选确认后再注销。")},
    )


class ProfileForm(forms.Form):
    """The fields a volunteer changes on their own (``services.rights.SELF_EDITABLE``)."""

    mobile = forms.CharField(label=_("手机号码"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("也是您的登录名，修改后请用新邮箱登录。"),
                             error_messages={"invalid": EMAIL_MESSAGE})
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=[("", "——请选择——"), *Volunteer.PoliticalStatus.choices])
    education = forms.ChoiceField(label=_("学历"), choices=[("", "——请选择——"), *Volunteer.Education.choices])
    title = forms.CharField(label=_("职称"), max_length=60, required=False)
    title_level = forms.TypedChoiceField(label=_("职称级别"), choices=[("", "——请选择——"), *TitleLevel.choices], coerce=int,
                                         empty_value=None, required=False)
    field = forms.CharField(label=_("专业领域"), max_length=100)
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    county = forms.ModelChoiceField(label=_("所在县（区）"), queryset=County.objects.all(), empty_label="——请选择——")
    skills = forms.CharField(label=_("专业特长与可服务时间"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：精细化工工艺；周末和节假日可参加活动。"))

    def clean_mobile(self):
        return idcard.validate_mobile(self.cleaned_data["mobile"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    @classmethod
    def initial_for(cls, volunteer: Volunteer) -> dict:
        return {name: getattr(volunteer, "county_id" if name == "county" else name) for name in cls.base_fields}


class CorrectionForm(forms.Form):
    message = forms.CharField(
        label=_("哪里有误，应当是什么"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("例如：2025年9月15日的服务记录时长应为3小时，登记成了2小时。工作人员核实后更正。"),
        error_messages={"required": _("请写明哪里有误、应当是什么。")},
    )


class RealNameForm(forms.Form):
    new_name = forms.CharField(label=_("新姓名"), max_length=50, required=False, help_text=_("姓名不变的可不填。"))
    new_id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                    help_text=_("补填或更正身份证号；不变的可不填。性别和出生日期随身份证号更新。"))
    id_consent = forms.BooleanField(label=_("我单独同意市科协处理我的身份证号（敏感个人信息）"), required=False)
    message = forms.CharField(label=_("变更原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请说明变更原因，例如：改名、原登记有误。")})

    def clean_new_name(self):
        value = self.cleaned_data["new_name"].strip()
        if value and len(value) < 2:
            raise ValidationError(_("请填写完整的真实姓名。"))
        return value

    def clean_new_id_number(self):
        value = idcard.normalise_id_number(self.cleaned_data["new_id_number"])
        if value:
            idcard.parse_id_number(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("new_name") and not data.get("new_id_number") and not self.errors.get("new_id_number"):
            raise ValidationError(_("请填写新的姓名或身份证号。"))
        if data.get("new_id_number") and not data.get("id_consent"):
            self.add_error("id_consent", _("登记身份证号须勾选单独同意。"))
        return data
