"""What each staff group may do in the talents app, and the reviewers' group.

学会学术部 runs the registry, the awards and the demands; 领导 look; 评审专家 (reviewers,
not staff) only score what is assigned to them. Seeing a full contact is a separate
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
