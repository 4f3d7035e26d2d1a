from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from volunteers import idcard

# A published sample number from GB 11643's own example (Beijing, 1949-12-31, male).
SAMPLE = "11010519491231002X"


def test_known_good_number_parses_with_birth_date_and_gender():
    info = idcard.parse_id_number(SAMPLE)
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "F"  # 17th digit 2: even


def test_lower_case_x_is_accepted():
    assert idcard.parse_id_number(SAMPLE.lower()).birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1101051949123100", "format"),          # too short
        ("11010519491231002Y", "format"),        # bad last character
        ("99010519491231002X", "region"),        # no such province
        ("110105194902300021", "birth_date"),    # 30 February
        ("110105194912310021", "checksum"),      # wrong check digit
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        idcard.parse_id_number(value)
    assert exc.value.code == code
    assert value not in exc.value.messages[0]  # never repeats what was typed


@given(st.integers(min_value=0, max_value=2_000_000))
def test_synthetic_identities_pass_the_check_and_say_what_they_encode(serial):
    number, birth, gender = idcard.synthetic_identity(serial)
    info = idcard.parse_id_number(number)
    assert (info.birth_date, info.gender) == (birth, gender)
    assert number.startswith("419900")


def test_synthetic_identities_are_distinct():
    numbers = {idcard.synthetic_identity(s)[0] for s in range(0, 120_000, 7)}
    assert len(numbers) == len(range(0, 120_000, 7))


@pytest.mark.parametrize("value", ["13812345678", "138 1234 5678", "+8613812345678", "138-1234-5678"])
def test_mobile_numbers_are_normalised(value):
    assert idcard.validate_mobile(value) == "13812345678"


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "0393-8800110", "abc"])
def test_bad_mobile_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        idcard.validate_mobile(value)
