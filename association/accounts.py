"""Log-in with the second step for staff (an authenticator's code or a backup code), the
two-step page (enrolment, the code for this session, backup codes), and the
forgotten-password pages."""

import base64

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from . import loginguard, roles, two_factor
from .context_processors import account_links
from .forms import LoginForm, PasswordResetRequestForm, PortalSetPasswordForm, TokenForm
from .models import SiteSettings
from .services import accounts as account_services


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # An account under a guessing attack waits between tries: refused before the
        # password is even looked at (not from a browser that has logged in to it before).
        wait = loginguard.account_wait_seconds(request, request.POST.get("username", ""))
        if wait:
            return loginguard.slowed_down_response(request, wait)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's view puts the host name under "site"; the layout needs the association.
        context["site"] = SiteSettings.load()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            django_otp.login(self.request, form.otp_device)
        elif two_factor.required_for(self.request.user):
            # A password alone opens nothing: first the enrolment (or, for a device added
            # since, the code), then where the person was going.
            response = redirect(two_factor.step_url(response["Location"]))
        loginguard.remember_browser(self.request, response, form.get_user())
        return response

    def get_default_redirect_url(self):
        # Staff come to work in the admin (also when they open this page already logged
        # in); a volunteer or a reviewer to their own page (the first of the top bar's
        # links the apps give them); anyone else to LOGIN_REDIRECT_URL. A safe ``next``
        # still wins.
        user = self.request.user
        # Leaders come to read the figures: the dashboard.
        if user.is_staff and user.groups.filter(name=roles.LEADERS).exists():
            return resolve_url("reports:dashboard")
        if user.is_staff:
            return resolve_url("admin:index")
        # Everyone has 我的消息; it is nobody's own page to land on.
        inbox = resolve_url("notice-inbox")
        own_pages = [link for link in account_links(user) if link[1] != inbox]
        return own_pages[0][1] if own_pages else super().get_default_redirect_url()


PENDING_KEY_SESSION = "two_factor_pending_key"
ENROL_ERROR = "动态验证码不正确或已过期，请输入身份验证器中当前显示的 6 位数字。"


def _next_url(request) -> str:
    """Where to go once two-step log-in is passed: a safe ``next``, else the admin."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url("admin:index")


@never_cache
@login_required
def two_factor_page(request):
    """Staff's two-step log-in: enrol an authenticator (scan, confirm a code, keep the backup
    codes shown once); pass the second step for this session; make new backup codes; turn it
    off, or, where it is required, set it up again on a new phone.

    Until a code confirms it, the new key lives only in the session: opening this page
    stores nothing.
    """
    if not two_factor.is_bound(request.user):
        raise PermissionDenied
    if account_services.confirmed_device(request.user) is None:
        return _enrol(request)
    if not two_factor.is_verified(request.user):
        return _verify(request)
    return _manage(request)


def _render(request, state: str, **context):
    return render(request, "registration/two_factor.html", {
        "state": state,
        "required": two_factor.required_for(request.user),
        "can_leave": two_factor.passed(request.user),
        "next": _next_url(request),
        **context,
    })


def _enrol(request):
    key = request.session.get(PENDING_KEY_SESSION)
    if not key:
        key = request.session[PENDING_KEY_SESSION] = account_services.new_device_key()
    device = account_services.pending_device(request.user, key)
    form = TokenForm(
        request.POST or None, verify=lambda token: account_services.check_pending_code(device, token),
        error=ENROL_ERROR, label="动态验证码",
    )
    if request.method == "POST" and form.is_valid():
        codes = account_services.enable_two_factor(device)
        del request.session[PENDING_KEY_SESSION]
        django_otp.login(request, device)
        messages.success(request, "两步验证已开启：以后登录时需要输入身份验证器中的动态验证码。")
        return _show_backup_codes(request, codes)
    qr = segno.make(device.config_url, micro=False).svg_inline(scale=4, title="两步验证二维码")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return _render(
        request, "enrol", form=form, qr_svg=mark_safe(qr), secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    )


def _verify(request):
    user = request.user
    form = TokenForm(request.POST or None, verify=lambda token: account_services.verify_second_step(user, token))
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        return redirect(_next_url(request))
    return _render(request, "verify", form=form)


def _manage(request):
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        name: TokenForm(
            request.POST if action == name else None, prefix=name,
            verify=lambda token: account_services.verify_second_step(user, token),
        )
        for name in ("backup_codes", "disable")
    }
    if action == "backup_codes" and forms[action].is_valid():
        return _show_backup_codes(request, account_services.new_backup_codes(user), renewed=True)
    if action == "disable" and forms[action].is_valid():
        account_services.disable_two_factor(user)
        if two_factor.required_for(user):
            messages.info(request, "原有的身份验证器和备用码已作废，请用新手机扫码重新开启两步验证。")
        else:
            messages.success(request, "已关闭两步验证。")
        return redirect("two_factor")
    return _render(
        request, "enabled", codes_left=account_services.backup_codes_left(user), backup_form=forms["backup_codes"],
        disable_form=forms["disable"],
    )


def _show_backup_codes(request, codes: list[str], renewed: bool = False):
    """The backup codes, shown once: only this answer carries them (never stored by the
    browser); printed or written down, each logs in once without the phone."""
    return render(request, "registration/two_factor_backup_codes.html", {
        "codes": [f"{code[:4]}-{code[4:]}" for code in codes],
        "renewed": renewed,
        "next": _next_url(request),
    })


# -- forgotten password: ask for a link by e-mail, then set a new one --------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not an account has the address (no enumeration)."""

    form_class = PasswordResetRequestForm


    def get_form_kwargs(self):
        # Limited per person (the address typed) and per network address like the other
        # public forms: a reset e-mail per POST.
        return {**super().get_form_kwargs(), "request": self.request}


password_reset = PasswordResetView.as_view()


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link also ends every log-in limit on the
    account: the link proves the owner, whoever had been guessing."""

    form_class = PortalSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        loginguard.clear_account(form.user.get_username())
        return response
