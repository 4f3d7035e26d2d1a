"""Checks of what people type for their identity: the resident ID number (GB 11643-1999)
and the mainland mobile number. Pure functions, used by forms, the roster import and
the synthetic data; messages are in Chinese and never repeat the value typed."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: the province-level region codes of GB/T 2260.
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
}
# ASCII digits only: ``\d`` would also take other scripts' digits (٤١…), which int() reads
# but which would store a second spelling of the same number past the uniqueness check.
ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
MOBILE_PATTERN = re.compile(r"^1[3-9][0-9]{9}$")


@dataclass(frozen=True)
class IdInfo:
    birth_date: date
    gender: str  # "M" or "F", as association.choices.Gender


def _halfwidth(value: str) -> str:
    """Full-width digits and letters typed with a Chinese input method (１２Ｘ) as ASCII."""
    return unicodedata.normalize("NFKC", value or "")


def normalise_id_number(value: str) -> str:
    return _halfwidth(value).strip().replace(" ", "").upper()


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str, *, today: date | None = None) -> IdInfo:
    """Validate an 18-character ID number and return what it encodes."""
    value = normalise_id_number(value)
    if not ID_PATTERN.match(value):
        raise ValidationError(_("身份证号应为18位：前17位是数字，最后一位是数字或字母X。"), code="format")
    if value[:2] not in PROVINCES:
        raise ValidationError(_("身份证号前两位不是有效的省级行政区划代码，请核对。"), code="region")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号第7至14位的出生日期不是一个真实的日期，请核对。"), code="birth_date") from None
    today = today or date.today()
    if born > today or born.year < 1900:
        raise ValidationError(_("身份证号中的出生日期不在合理范围内，请核对。"), code="birth_date")
    if check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号校验位不正确，可能有数字输错，请逐位核对。"), code="checksum")
    return IdInfo(birth_date=born, gender="M" if int(value[16]) % 2 else "F")


def normalise_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", _halfwidth(value))
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_mobile(value: str) -> str:
    value = normalise_mobile(value)
    if not MOBILE_PATTERN.match(value):
        raise ValidationError(_("请输入11位中国大陆手机号码，以1开头，例如13812345678。"), code="mobile")
    return value


def synthetic_identity(serial: int) -> tuple[str, date, str]:
    """(ID number, birth date, gender) for synthetic person number ``serial``.

    The number passes the check digit but is obviously made up: region 419900 (province 41
    has no prefecture 99), so it can never belong to a real person. Distinct serials give
    distinct numbers (500 people share a birth date, and 15,000 birth dates are used).
    """
    from datetime import timedelta

    day = (serial // 500) * 37 % 15000  # a bijection on 0..14999: ages spread over 41 years
    birth = date(1960, 1, 1) + timedelta(days=day)
    gender = "M" if serial % 2 == 0 else "F"
    sequence = (serial % 500) * 2 + (1 if gender == "M" else 0)
    first17 = f"419900{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17), birth, gender


def synthetic_mobile(serial: int) -> str:
    """199 0xxx xxxx: a range reserved here for made-up people."""
    return f"1990{serial:07d}"
