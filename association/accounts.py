"""Log-in with an optional second step (TOTP) for staff, its enrolment page, and the
forgotten-password pages."""

import base64

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import loginguard
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
        loginguard.remember_browser(self.request, response, form.get_user())
        return response

    def get_default_redirect_url(self):
        # Staff come to work in the admin (also when they open this page already logged
        # in); a volunteer or a reviewer to their own page (the first of the top bar's
        # links the apps give them); anyone else to LOGIN_REDIRECT_URL. A safe ``next``
        # still wins.
        user = self.request.user
        if user.is_staff:
            return resolve_url("admin:index")
        own_pages = account_links(user)
        return own_pages[0][1] if own_pages else super().get_default_redirect_url()


PENDING_KEY_SESSION = "two_factor_pending_key"


@login_required
def two_factor(request):
    """Staff turn two-step log-in on (scan, confirm a code) or off (confirm a code).

    Until a code confirms it, the new key lives only in the session: opening this page
    stores nothing.
    """
    if not request.user.is_staff:
        raise PermissionDenied
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        form = TokenForm(request.POST or None, device=confirmed)
        if request.method == "POST" and form.is_valid():
            account_services.disable_two_factor(request.user)
            messages.success(request, "已关闭两步验证。")
            return redirect("two_factor")
        return render(request, "registration/two_factor.html", {"enabled": True, "form": form})

    key = request.session.get(PENDING_KEY_SESSION)
    if not key:
        key = request.session[PENDING_KEY_SESSION] = account_services.new_device_key()
    device = account_services.pending_device(request.user, key)
    form = TokenForm(request.POST or None, device=device, verify=lambda token: account_services.check_pending_code(device, token))
    if request.method == "POST" and form.is_valid():
        account_services.enable_two_factor(device)
        del request.session[PENDING_KEY_SESSION]
        django_otp.login(request, device)
        messages.success(request, "两步验证已开启：以后登录时需要输入身份验证器中的动态验证码。")
        return redirect("two_factor")
    qr = segno.make(device.config_url, micro=False).svg_inline(scale=4, title="两步验证二维码")

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/two_factor.html",
        {"enabled": False, "form": form, "qr_svg": mark_safe(qr), "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))},
    )


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
