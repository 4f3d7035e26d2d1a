"""单位账号: the accounts of the units of the tree, and who may make them.

The city office (办公室, with the right to add unit accounts) makes accounts for any unit
below the city association; a unit's 管理员 makes them for that unit only, never for the
unit above it nor for one beside or below it. A unit's 工作人员 makes none. The account is a
staff account in the group of its role; what it reaches is the scoping rule's.
"""

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit, roles, scoping
from ..models import AuditEntry, Organization, UnitMembership
from ..states import DomainError

ROLE_GROUPS = {UnitMembership.Role.ADMIN: roles.UNIT_ADMIN, UnitMembership.Role.STAFF: roles.UNIT_STAFF}


def units_managed_by(actor):
    """The units ``actor`` may make accounts for (a queryset of organisations)."""
    units = Organization.objects.exclude(kind=Organization.Kind.ASSOCIATION, parent__isnull=True)
    unit = scoping.unit_of(actor)
    if unit is not None:
        return units.filter(pk=unit.pk) if scoping.is_unit_admin(actor) else units.none()
    if actor.is_superuser or actor.has_perm("association.add_unitmembership"):
        return units
    return units.none()


def check_may_manage(actor, organization: Organization) -> None:
    if organization.parent_id is None and organization.kind == Organization.Kind.ASSOCIATION:
        raise DomainError(_("市科协机关的工作人员用部门账号（在“用户”中创建），不设单位账号。"))
    if not units_managed_by(actor).filter(pk=organization.pk).exists():
        raise DomainError(_("您只能为本单位创建和管理账号。"))


def check_new_account(*, actor, organization: Organization, username: str, password: str, full_name: str = "") -> dict:
    """Every refusal of a new account, by field ({field: message}); empty when it may be made."""
    errors = {}
    try:
        check_may_manage(actor, organization)
    except DomainError as error:
        errors["organization"] = error.message
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("用户名“%(name)s”已被使用，请换一个。") % {"name": username}
    try:
        password_validation.validate_password(password, User(username=username, last_name=full_name))
    except ValidationError as error:
        errors["password1"] = " ".join(error.messages)
    return errors


def create_unit_account(*, actor, organization_id: int, role: str, username: str, password: str, full_name: str = "",
                        email: str = "", request=None) -> UnitMembership:
    """A staff account for a unit, in the group of its role."""
    with transaction.atomic():
        organization = Organization.objects.get(pk=organization_id)
        errors = check_new_account(actor=actor, organization=organization, username=username, password=password,
                                   full_name=full_name)
        if errors:
            raise DomainError(next(iter(errors.values())))
        if role not in ROLE_GROUPS:
            raise DomainError(_("没有这种单位内角色。"))
        user = get_user_model().objects.create_user(
            username=username, password=password, email=email, last_name=full_name, is_staff=True
        )
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        membership = UnitMembership.objects.create(user=user, organization=organization, role=role, created_by=actor)
        audit.record(AuditEntry.Action.CREATE, actor=actor, obj=membership, request=request,
                     detail=_("为%(unit)s创建%(role)s账号 %(name)s") % {
                         "unit": organization.name, "role": membership.get_role_display(), "name": username})
    return membership


def check_change(*, actor, membership: UnitMembership, role: str | None, is_active: bool | None) -> str:
    """Why this change may not be made ("" when it may)."""
    try:
        check_may_manage(actor, membership.organization)
    except DomainError as error:
        return error.message
    if membership.user_id == actor.pk and (is_active is False or (role and role != membership.role)):
        return _("不能停用自己的账号，也不能改变自己的角色。")
    if role and role not in ROLE_GROUPS:
        return _("没有这种单位内角色。")
    return ""


def change_unit_account(*, membership_id: int, actor, role: str | None = None, is_active: bool | None = None,
                        request=None) -> UnitMembership:
    """Change an account's role within its unit, or switch it off and on."""
    with transaction.atomic():
        membership = UnitMembership.objects.select_for_update().select_related("user", "organization").get(pk=membership_id)
        refusal = check_change(actor=actor, membership=membership, role=role, is_active=is_active)
        if refusal:
            raise DomainError(refusal)
        user = membership.user
        changes = []
        if role and role != membership.role:
            user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
            membership.role = role
            membership.save(update_fields=["role"])
            changes.append(_("角色改为%(role)s") % {"role": membership.get_role_display()})
        if is_active is not None and is_active != user.is_active:
            user.is_active = is_active
            user.save(update_fields=["is_active"])
            changes.append(_("启用") if is_active else _("停用"))
        if changes:
            audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=membership, request=request,
                         detail=_("%(name)s：%(what)s") % {"name": user.username, "what": "，".join(changes)})
    return membership
