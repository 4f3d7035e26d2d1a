"""The 我的数据 section of the volunteer's own page: their rights over their data, with the
state of their correction and real-name requests."""

from association import extensions, roles

from .models import ChangeRequest


@extensions.me_section(order=90, template="volunteers/rights/me_section.html")
def my_data(request, volunteer) -> dict:
    return {
        "requests": list(ChangeRequest.objects.filter(volunteer=volunteer).order_by("-created")[:5]),
        "has_id_number": bool(volunteer.id_number_hash),
    }


# The managing unit's staff handle requests; consents are read, never changed.
_HANDLE = ["volunteers.view_changerequest", "volunteers.change_changerequest", "volunteers.view_consent"]
extensions.role_permissions(roles.POPSCI, _HANDLE)
extensions.role_permissions(roles.UNIT_STAFF, _HANDLE)
extensions.role_permissions(roles.LEADERS, ["volunteers.view_changerequest", "volunteers.view_consent"])
