"""What people type: the sign-up form, the check-in code, the staff's cancellation reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from association.throttle import PublicFormMixin

from .models import Registration, mobile_validator
from .services.registrations import normalise_mobile

AGE_14_OR_OVER, AGE_UNDER_14 = "14+", "under14"


class RegistrationForm(PublicFormMixin, forms.ModelForm):
    throttle_group = "event-signup"
    person_fields = ("mobile",)

    mobile = forms.CharField(
        label=_("手机号码"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": _("11 位手机号码")}),
        help_text=_("用于核对身份，只向活动工作人员显示部分号码。"),
    )
    consent = forms.BooleanField(
        label=_("我同意主办方为组织本次活动使用上述信息（活动结束一年后删除）"),
        error_messages={"required": _("请阅读并勾选同意后再提交。")},
    )
    # Asked at events for young people only (Event.for_youth); the service insists there.
    age_group = forms.ChoiceField(
        label=_("参加者年龄"), required=False, widget=forms.RadioSelect,
        choices=[(AGE_14_OR_OVER, _("已满14周岁")), (AGE_UNDER_14, _("未满14周岁（须由监护人填写下方信息并同意）"))],
    )
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_mobile = forms.CharField(label=_("监护人手机号码"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                      help_text=_("加密保存，只向活动工作人员显示部分号码。"))
    guardian_statement = forms.BooleanField(label=_("我是参加者的监护人，已阅读并同意《监护人同意声明》"), required=False)

    class Meta:
        model = Registration
        fields = ["name", "mobile", "email", "organization"]
        labels = {"email": _("电子邮箱（选填）"), "organization": _("工作单位或学校（选填）")}
        help_texts = {"email": _("填写后，报名结果、候补转正和活动变动会发到这个邮箱。")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("真实姓名")}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "name": {"required": _("请填写姓名。")},
            "email": {"invalid": _("请输入有效的电子邮箱地址，例如 name@example.com。")},
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("请填写真实姓名（至少 2 个字）。"))
        return name

    def clean_mobile(self):
        raw = self.cleaned_data.get("mobile", "")
        if not raw.strip():
            raise forms.ValidationError(_("请填写手机号码。"))
        mobile = normalise_mobile(raw)
        if mobile.startswith("86") and len(mobile) == 13:
            mobile = mobile[2:]
        mobile_validator(mobile)
        return mobile

    def clean_guardian_mobile(self):
        raw = self.cleaned_data.get("guardian_mobile", "")
        if not raw.strip():
            return ""
        mobile = normalise_mobile(raw)
        if mobile.startswith("86") and len(mobile) == 13:
            mobile = mobile[2:]
        mobile_validator(mobile)
        return mobile

    def clean(self):
        data = super().clean()
        if data.get("age_group") == AGE_UNDER_14:
            if not data.get("guardian_name", "").strip():
                self.add_error("guardian_name", _("未满14周岁的，请填写监护人姓名。"))
            if "guardian_mobile" in data and not data["guardian_mobile"]:
                self.add_error("guardian_mobile", _("未满14周岁的，请填写监护人手机号码。"))
            if not data.get("guardian_statement"):
                self.add_error("guardian_statement", _("未满14周岁的，须由监护人阅读并勾选《监护人同意声明》。"))
        return data

    def cleaned_data_for_service(self) -> dict:
        data = {key: self.cleaned_data.get(key, "") for key in ("name", "mobile", "email", "organization")}
        age = self.cleaned_data.get("age_group")
        data["under_14"] = None if not age else age == AGE_UNDER_14
        if age == AGE_UNDER_14:
            data["guardian"] = {"name": self.cleaned_data["guardian_name"].strip(),
                                "mobile": self.cleaned_data["guardian_mobile"]}
        return data

    def _post_clean(self):
        # The services create the row; the model's own validation (which would encrypt
        # and compare) is not wanted here.
        pass


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("签到码"), max_length=200,
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
            "placeholder": _("扫码或输入 8 位签到码"), "class": "form-control form-control-lg text-center",
        }),
        error_messages={"required": _("请扫码或输入签到码。")},
    )

    def clean_code(self):
        """Accept the bare code or the address in the QR code (…/check-in/?code=XXXX)."""
        from urllib.parse import parse_qs, urlparse

        text = self.cleaned_data["code"].strip()
        if "code=" in text:
            text = (parse_qs(urlparse(text).query).get("code") or [""])[0]
        return text


class ActivityCodeForm(CheckInForm):
    """A volunteer's check-in at a service activity: the activity's code, typed or scanned."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("活动签到码")
        self.fields["code"].widget.attrs["placeholder"] = _("扫码或输入活动现场的 8 位签到码")
        self.fields["code"].error_messages["required"] = _("请扫码或输入活动签到码。")

    def clean_code(self):
        from .services.registrations import normalise_code

        return normalise_code(super().clean_code())


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"), max_length=200, required=True,
        help_text=_("会写进发给报名者的通知邮件。"),
        error_messages={"required": _("请填写取消原因。")},
        widget=forms.TextInput(attrs={"size": 60}),
    )
