"""Two-step log-in: whom it binds, whether a session has passed it, and the gate that every
page showing staff data goes through (the admin site, the dashboard and reports, check-in
and roster files, certificates and nomination materials).

The rule, in one place: every staff account (``is_staff``: it opens the admin, where the
volunteers', sign-ups' and experts' personal data are) and every superuser must pass two-step
log-in when ``TWO_FACTOR_REQUIRED`` is on (the default in production). A staff member who
turned it on by choice must pass it whatever the setting. Volunteers see only their own
data and reviewers only the nominations assigned to them: a password is theirs.

Until a bound account has passed, it reaches nothing but the two-step page (enrolment, or
the code for this session) and log-out.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device


def is_bound(user) -> bool:
    """Is this an account two-step log-in is about (a staff account or a superuser)?"""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def required_for(user) -> bool:
    """Must this account pass two-step log-in, enrolled or not?"""
    return settings.TWO_FACTOR_REQUIRED and is_bound(user)


def is_verified(user) -> bool:
    """Has this session passed a second step (an authenticator code or a backup code)?"""
    check = getattr(user, "is_verified", None)  # set on request.user by django-otp's middleware
    return bool(check and check())


def passed(user) -> bool:
    """Has this session done what two-step log-in asks of the account?"""
    if not user.is_authenticated:
        return False
    if is_verified(user):
        return True
    if required_for(user):
        return False
    return not _has_device(user)


def _has_device(user) -> bool:
    # Asked several times in a request (the gate, the page's own check, the top bar's
    # links); the answer is kept on the request's user.
    try:
        return user._two_factor_has_device
    except AttributeError:
        user._two_factor_has_device = has = user_has_device(user)
        return has


def may_act_as_staff(user) -> bool:
    """An active staff account whose session has passed two-step log-in where it must."""
    return user.is_authenticated and user.is_active and user.is_staff and passed(user)


def step_url(next_url: str = "") -> str:
    url = reverse("two_factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def pending(request):
    """The redirect to the two-step page for a bound account that has not passed; else None."""
    user = request.user
    if is_bound(user) and not passed(user):
        return redirect(step_url(request.get_full_path()))
    return None


def two_step_required(view):
    """For pages that show staff data: a staff member who has not passed two-step log-in is
    sent to its page first (and comes back here after)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return pending(request) or view(request, *args, **kwargs)

    return wrapper


def staff_permission_required(perm: str):
    """Anonymous people go to the log-in page, staff who have not passed two-step log-in to
    its page, and anyone without ``perm`` on a staff account gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            step = pending(request)
            if step is not None:
                return step
            if not (may_act_as_staff(user) and user.has_perm(perm)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def normalise_token(token: str) -> str:
    """What a person types into the code box, as the devices compare it: authenticator codes
    are digits; backup codes are shown in groups (``abcd-efgh``) and may be typed in capitals."""
    return "".join(token.split()).replace("-", "").lower()
