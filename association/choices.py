"""Choices the apps share, so that a volunteer and an expert speak of the same thing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class TitleLevel(models.IntegerChoices):
    """职称级别; the number orders them from the highest, so eligibility compares with ``<=``."""

    SENIOR = 1, _("正高级")
    ASSOCIATE = 2, _("副高级")
    INTERMEDIATE = 3, _("中级")
    JUNIOR = 4, _("初级")
    NONE = 9, _("无职称")
