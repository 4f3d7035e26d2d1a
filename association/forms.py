"""Forms of the core app: staff editing news (cover, attachments), the public filters of the
news list and the organisation directory, log-in with the second step (an authenticator's code or a backup code) and its enrolment,
and the password reset."""

import django_filters
import django_otp
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from . import filecheck, loginguard, throttle, two_factor
from .filters import PublicFilterSet
from .models import Article, ArticleAttachment, Organization
from .models.news import SUMMARY_LENGTH
from .richtext import excerpt
from .security import StaffPasswordValidator
from .services import accounts as account_services
from .services import news as news_services


def label_widgets(form, parts=("日期", "时间")):
    """Names the inputs the admin shows without a label of their own: the date and the time
    of a date-time field, and every input of a form shown as a row of a table (an inline)."""
    for field in form.fields.values():
        label = str(field.label or "")
        widgets = getattr(field.widget, "widgets", None)
        if widgets:
            for widget, part in zip(widgets, parts, strict=False):
                widget.attrs.setdefault("aria-label", f"{label}（{part}）")
        elif getattr(form, "tabular", False):
            field.widget.attrs.setdefault("aria-label", label)


class ArticleAdminForm(forms.ModelForm):
    """The article form in the admin. The cover is not a model field here: what staff
    upload is checked and re-encoded (``filecheck.process_image``) before it is stored."""

    new_cover = forms.FileField(
        label=_("封面图"), required=False, help_text=Article._meta.get_field("cover").help_text,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_cover = forms.BooleanField(label=_("删除现有封面"), required=False)

    class Meta:
        model = Article
        fields = ["title", "category", "summary", "body", "new_cover", "remove_cover", "cover_caption", "source",
                  "author", "published_at"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 80}),
            "summary": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "cover_caption": forms.TextInput(attrs={"size": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_widgets(self)

    def clean(self):
        cleaned = super().clean()
        # A summary that was only the start of the old body is made again from the new one.
        if (self.instance.pk and "summary" not in self.changed_data
                and self.instance.summary == excerpt(self.instance.body, SUMMARY_LENGTH)):
            cleaned["summary"] = ""
        return cleaned

    def clean_new_cover(self):
        upload = self.cleaned_data.get("new_cover")
        if not upload:
            return None
        return filecheck.process_image(upload)

    def save(self, commit=True):
        article = super().save(commit=False)
        processed = self.cleaned_data.get("new_cover")
        if processed:
            news_services.set_cover(article, processed)
        elif self.cleaned_data.get("remove_cover") and article.cover:
            news_services.clear_cover(article)
        if commit:
            article.save()
        return article


class ArticleAttachmentForm(forms.ModelForm):
    tabular = True  # a row of the article form's attachments table

    class Meta:
        model = ArticleAttachment
        fields = ["title", "file", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_widgets(self)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            filecheck.check_attachment(upload)
        return upload

    def save(self, commit=True):
        attachment = super().save(commit=False)
        upload = self.cleaned_data.get("file")
        if "file" in self.changed_data and isinstance(upload, UploadedFile):
            news_services.prepare_attachment(attachment, upload)
        if commit:
            attachment.save()
        return attachment


class NewsFilterSet(PublicFilterSet):
    """The public news list: ``/news/?q=&category=``."""

    q = django_filters.CharFilter(label=_("关键词"), max_length=50, method="search")
    category = django_filters.ChoiceFilter(label=_("栏目"), choices=Article.Category.choices, method="in_category")

    class Meta:
        model = Article
        fields = []

    def search(self, queryset, name, value):
        # With words to search for, the category is one more word of the same search.
        return queryset.search(value, category=self.values.get("category", ""))

    def in_category(self, queryset, name, value):
        return queryset if self.values.get("q") else queryset.filter(category=value)


class OrganizationFilterSet(PublicFilterSet):
    """The organisation directory: ``/organizations/?kind=&county=&q=``."""

    kind = django_filters.ChoiceFilter(label=_("类别"), choices=Organization.Kind.choices)
    county = django_filters.NumberFilter(label=_("所在县（区）"), min_value=1, max_digits=9, decimal_places=0)
    q = django_filters.CharFilter(label=_("单位名称"), field_name="name", lookup_expr="icontains", max_length=50)

    class Meta:
        model = Organization
        fields = []



TOKEN_WIDGET_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
WRONG_CODE = _("动态验证码不正确或已过期，请输入身份验证器中当前显示的 6 位数字，或一个未用过的备用码。")


class LoginForm(AuthenticationForm):
    """Django's log-in form, whose user-name box is checked for length before anything looks
    the name up: Django's form only sets the box's ``maxlength``, so a longer name reached
    the lockout's failure log (a 255-character column) and the page failed."""

    otp_token = forms.CharField(
        label=_("动态验证码或备用码"),
        required=False,
        max_length=20,
        help_text=_("已开启两步验证的工作人员账号：输入身份验证器中的 6 位数字；手机不在身边时，输入一个备用码。"),
        widget=forms.TextInput(attrs=TOKEN_WIDGET_ATTRS),
    )

    otp_device = None

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        name_field = self.fields["username"]
        name_field.validators.append(MaxLengthValidator(
            name_field.max_length, message=_("用户名最多 %(limit_value)d 个字符，请检查是否输入有误。")))
        username = self.data.get("username", "") if self.is_bound else ""
        if request is not None and loginguard.address_needs_challenge(request, username):
            self.fields[throttle.CAPTCHA_FIELD] = throttle.challenge_field(
                _("本网络地址近期登录失败较多，请输入图中的字符，以确认是您本人在登录。"))

    def clean(self):
        if throttle.CAPTCHA_FIELD in self.errors:
            # No password is tried until the picture code is right.
            return self.cleaned_data
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and django_otp.user_has_device(user):
            token = two_factor.normalise_token(cleaned.get("otp_token") or "")
            if not token:
                self.user_cache = None
                raise ValidationError(
                    _("该账号已开启两步验证：请输入身份验证器中当前的 6 位动态验证码（或一个备用码）。"), code="otp_required"
                )
            device = account_services.verify_second_step(user, token)
            if device is None:
                self.user_cache = None
                raise ValidationError(WRONG_CODE, code="otp_invalid")
            self.otp_device = device
        return cleaned


class TokenForm(forms.Form):
    """One code box: ``verify`` gets the normalised code and returns the device that took it
    (or True for the device being set up), or a false value."""

    token = forms.CharField(label=_("动态验证码或备用码"), max_length=20, widget=forms.TextInput(attrs=TOKEN_WIDGET_ATTRS))

    def __init__(self, *args, verify, error=WRONG_CODE, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.verify = verify
        self.error = error
        self.device = None
        if label:
            self.fields["token"].label = label

    def clean_token(self):
        token = two_factor.normalise_token(self.cleaned_data["token"])
        result = self.verify(token) if token else None
        if not result:
            raise ValidationError(self.error)
        self.device = result
        return token


class PasswordResetRequestForm(throttle.GuardedFormMixin, PasswordResetForm):
    """The address to send a reset link to. Whether an account has it is never shown."""

    throttle_group = "password-reset"
    person_fields = ("email",)
    person_error = _("这个电子邮件地址在一小时内申请的次数过多，请稍后再试。")

    email = forms.EmailField(
        label=_("电子邮件地址"),
        max_length=254,
        help_text=_("请填写注册或登记时使用的电子邮件地址。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("电子邮件地址格式不正确，例如 zhangsan@example.com。"),
                        "required": _("请填写电子邮件地址。")},
    )

    def save(self, *args, **kwargs):
        # Queued, not sent here: the page answers at once whatever SMTP or Redis are doing.
        account_services.request_password_reset(self.get_users(self.cleaned_data["email"]))


class PortalSetPasswordForm(SetPasswordForm):
    """Setting a new password from a reset link: the rules that apply to this account are
    listed (the staff rule only for staff), and a password breaking one is told at the
    first box, where it was typed, not at the confirmation."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        validators = [v for v in password_validation.get_default_password_validators()
                      if user.is_staff or not isinstance(v, StaffPasswordValidator)]
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html(validators)

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)
