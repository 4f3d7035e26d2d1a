"""The talents' part of closing a volunteer's account (注销): the expert record, which has
its own basis (the registry the person agreed to), is no longer tied to the volunteer, so
the anonymised hours kept cannot be traced back through it."""

from association import extensions

from .models import Talent


@extensions.account_erasure(50)
def unlink_expert(volunteer, request) -> None:
    Talent.objects.filter(volunteer=volunteer).update(volunteer=None)
