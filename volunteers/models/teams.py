"""Service teams (服务团 → 服务队 → 工作组) and who belongs to them with which role."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from association.models import Organization


class ServiceTeam(models.Model):
    """服务团 → 服务队 → 工作组: one tree, the kind says the level."""

    unit_owner = "organization"

    class Kind(models.TextChoices):
        CORPS = "corps", _("服务团")
        TEAM = "team", _("服务队")
        GROUP = "group", _("工作组")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="service_teams"
    )
    field = models.CharField(_("服务领域"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("服务队伍")
        verbose_name_plural = _("服务队伍")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="serviceteam_unique_name_in_parent")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A volunteer in a team (or a corps or work group), with a role."""

    unit_owner = "team__organization"

    class Role(models.TextChoices):
        CORPS_LEADER = "corps_leader", _("团长")
        TEAM_LEADER = "team_leader", _("队长")
        GROUP_LEADER = "group_leader", _("组长")
        LIAISON = "liaison", _("联络员")
        HELPER = "helper", _("帮扶员")
        PUBLICIST = "publicist", _("宣传员")
        MEMBER = "member", _("队员")

    LEADER_ROLES = (Role.CORPS_LEADER, Role.TEAM_LEADER, Role.GROUP_LEADER)

    volunteer = models.ForeignKey("volunteers.Volunteer", verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(ServiceTeam, verbose_name=_("服务队伍"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateField(_("加入日期"), null=True, blank=True)

    class Meta:
        ordering = ["team__order", "team__name"]
        verbose_name = _("队伍成员")
        verbose_name_plural = _("队伍成员")
        constraints = [models.UniqueConstraint(fields=["volunteer", "team"], name="membership_unique_volunteer_team")]
        indexes = [models.Index(fields=["team", "role"])]

    def __str__(self):
        return f"{self.team} · {self.get_role_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        level = {self.Role.CORPS_LEADER: ServiceTeam.Kind.CORPS, self.Role.TEAM_LEADER: ServiceTeam.Kind.TEAM,
                 self.Role.GROUP_LEADER: ServiceTeam.Kind.GROUP}.get(self.role)
        if level and self.team_id and self.team.kind != level:
            raise ValidationError({"role": _("“%(role)s”只能设在%(level)s一级。") % {
                "role": self.get_role_display(), "level": ServiceTeam.Kind(level).label}})

    @property
    def is_leader(self) -> bool:
        return self.role in self.LEADER_ROLES
