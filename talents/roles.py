"""What each staff group may do in the talents app, and the reviewers' group.

学会学术部 runs the registry, the awards and the demands; 领导 look; 评审专家 (reviewers,
not staff) only score what is assigned to them; a unit's staff nominate and collect
demands for their own unit (below). Seeing a full contact is a separate
permission (reveal_*), given to named people rather than to a whole department.

Nothing here opens the volunteers' records: an expert's volunteer account is linked by the
full number the volunteer registered with (talents.forms.TalentAdminForm), never picked
from the list of volunteers, and a demand is matched to teams from its match page's
suggestions.
"""

from association import extensions, roles

REVIEWER_GROUP = "评审专家"

extensions.role_permissions(
    roles.ACADEMIC,
    [
        "talents.add_*",
        "talents.change_*",
        "talents.view_*",
        "talents.delete_*",
        "talents.export_talent",
        "talents.import_talent",
        "talents.manage_award_process",
    ],
)
extensions.role_permissions(roles.LEADERS, ["talents.view_*"])
extensions.role_permissions(REVIEWER_GROUP, ["talents.review_nomination"])
# A unit's staff (association.scoping decides whose records): nominate within the unit's
# 推荐名额 and follow their nominations' status and materials; collect, check, publish and
# follow up their demands and their 对接. Not reviews, nor objections (an objector is
# promised discretion, and the nominating unit is the party objected to), nor the expert
# registry, the 推荐名额 themselves or the award rounds: those are the city's.
extensions.role_permissions(
    roles.UNIT_STAFF,
    [
        "talents.view_nomination", "talents.add_nomination", "talents.view_nominationmaterial",
        "talents.view_techdemand", "talents.add_techdemand", "talents.change_techdemand",
        "talents.view_match", "talents.add_match", "talents.change_match",
    ],
)
