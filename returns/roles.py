"""What each staff group may do with the statistics return (综合统计年报).

A unit's staff fill in and submit their own unit's return and review those of the filing
units below it (``returns.workflow`` decides which, ``association.scoping`` whose); the
city's 办公室 reviews (退回 / 审核通过) and 领导 look.
"""

from django.utils.translation import gettext as _

from association import extensions, roles

extensions.role_permissions(
    roles.UNIT_STAFF,
    ["returns.view_statisticsreturn", "returns.change_statisticsreturn",
     "returns.view_returnvalue", "returns.change_returnvalue"],
)
extensions.role_permissions(
    roles.OFFICE,
    ["returns.view_statisticsreturn", "returns.change_statisticsreturn", "returns.view_returnvalue"],
)
extensions.role_permissions(roles.LEADERS, ["returns.view_statisticsreturn", "returns.view_returnvalue"])


@extensions.account_link(order=15)
def return_links(user):
    """综合统计年报 in the top bar of those who may open it (cheap: permissions are cached)."""
    from django.urls import reverse

    from association import two_factor

    if user.is_staff and user.has_perm("returns.view_statisticsreturn") and two_factor.passed(user):
        return [(_("综合统计年报"), reverse("returns:index"))]
    return []
