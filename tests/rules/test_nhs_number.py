"""NHS numbers: modulus 11 check digit, display and synthetic numbers."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import nhs_number as nhs


def test_a_number_with_the_right_check_digit_is_valid():
    # 9×10 + 9×9 + 9×8 + 1×2 = 245; 245 mod 11 = 3; 11 − 3 = 8.
    assert nhs.check_digit("999000001") == 8
    assert nhs.is_valid("9990000018")
    assert nhs.is_valid("999 000 0018")
    assert nhs.is_valid("999-000-0018")


def test_a_check_digit_of_ten_means_no_valid_number():
    # Some nine-digit starts give a check digit of 10: no tenth digit can complete them.
    nines = next(f"999{n:06d}" for n in range(1_000_000) if nhs.check_digit(f"999{n:06d}") is None)
    assert not any(nhs.is_valid(nines + str(d)) for d in range(10))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter an NHS number"),
        ("12345", "NHS number must be 10 digits"),
        ("99900000AB", "NHS number must be 10 digits"),
        ("9990000019", "Enter a valid NHS number – check you have typed it correctly"),
        ("0000000000", "Enter a valid NHS number – check you have typed it correctly"),
    ],
)
def test_each_kind_of_bad_number_gets_its_own_message(value, message):
    assert nhs.validation_error(value) == message


def test_numbers_are_shown_in_three_three_four():
    assert nhs.format_nhs_number("9990000018") == "999 000 0018"


@given(seed=st.integers(0, 2**32))
def test_synthetic_numbers_are_valid_and_never_issued(seed):
    number = nhs.synthetic(random.Random(seed))

    assert nhs.is_valid(number)
    assert nhs.is_synthetic(number)
    assert 9_990_000_000 <= int(number) <= 9_999_999_999


@given(seed=st.integers(0, 2**32), position=st.integers(0, 9), change=st.integers(1, 9))
def test_changing_any_one_digit_makes_a_valid_number_invalid(seed, position, change):
    number = nhs.synthetic(random.Random(seed))
    digits = list(number)
    digits[position] = str((int(digits[position]) + change) % 10)

    assert not nhs.is_valid("".join(digits))
