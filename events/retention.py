"""The events' part of the daily retention run: the sign-up form promises that a person's
particulars are deleted a year after the event ends. Name, mobile, e-mail,
organisation and the account that signed up go; the sign-up's status stays for the attendance figures."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from association import extensions
from association.retention import years_ago

from .models import Registration

ERASED_NAME = "（已删除）"


@extensions.retention_rule(60)
def anonymise_old_registrations(now) -> dict:
    old = Registration.objects.filter(event__end__lt=years_ago(now, 1)).exclude(name=ERASED_NAME)
    count = old.update(
        name=ERASED_NAME,
        mobile="",
        email="",
        organization="",
        guardian_name="",
        guardian_mobile="",
        user=None,  # nor whose account made it
        # keeps the one-place-per-mobile constraint satisfied without the number
        mobile_hash=Concat(Value("erased-"), Cast("id", CharField())),
    )
    return {"活动结束一年以上的报名信息": count}
