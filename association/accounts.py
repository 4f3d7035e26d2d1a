"""Log-in with an optional second step (TOTP) for staff, and its enrolment page."""

import base64

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import LoginForm, TokenForm
from .models import SiteSettings
from .security import address_locked, locked_out_response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_locked(request):
            return locked_out_response(request)
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
        return response


@login_required
def two_factor(request):
    """Staff turn two-step log-in on (scan, confirm a code) or off (confirm a code)."""
    if not request.user.is_staff:
        raise PermissionDenied
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        form = TokenForm(request.POST or None, device=confirmed)
        if request.method == "POST" and form.is_valid():
            TOTPDevice.objects.filter(user=request.user).delete()
            messages.success(request, "已关闭两步验证。")
            return redirect("two_factor")
        return render(request, "registration/two_factor.html", {"enabled": True, "form": form})

    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "身份验证器"})
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
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
