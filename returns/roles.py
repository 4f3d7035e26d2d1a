"""What each staff group may do with the statistics return (综合统计年报).

A unit's staff fill in and submit their own unit's return and review those of the filing
units below it (``returns.workflow`` decides which, ``association.scoping`` whose); the
city's 办公室 reviews (退回 / 审核通过) and 领导 look.
"""

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
