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


def test_worked_examples_of_check_digits():
    # 9×10 + 9×9 + 9×8 + 2×2 = 247; 247 mod 11 = 5; 11 − 5 = 6.
    assert nhs.check_digit("999000002") == 6
    # 9×(10+9+8+7+6+5+4+3) + 8×2 = 484 = 44×11, so the remainder is 0 and 11 − 0 → 0.
    assert nhs.check_digit("999999998") == 0
    assert nhs.is_valid("999 999 9980")


def test_the_example_in_the_hint_text_is_not_itself_a_valid_number():
    # "999 123 4567" shows the format only: its first nine digits give a check digit of 10.
    assert nhs.check_digit("999123456") is None
    assert not nhs.is_valid("999 123 4567")


@pytest.mark.parametrize("digit", "0123456789")
def test_ten_identical_digits_are_refused_although_the_check_digit_agrees(digit):
    assert nhs.check_digit(digit * 9) == int(digit)
    assert nhs.validation_error(digit * 10) == (
        "Enter a valid NHS number – check you have typed it correctly"
    )


def test_spaces_hyphens_and_pasted_whitespace_are_ignored():
    assert nhs.normalise("  999 000-0018\t") == "9990000018"
    assert nhs.is_valid("999\u00a0000\u00a00018")
    assert nhs.is_valid(" 999-000-0018 ")


@pytest.mark.parametrize("value", ["99900000²8", "99900000١٨", "９９９００００018"])
def test_digits_from_other_scripts_are_not_ten_digits(value):
    assert nhs.validation_error(value) == "NHS number must be 10 digits"


def test_a_check_digit_needs_exactly_nine_digits():
    for bad in ("99900000", "9990000012", "99900000x", "99900000²"):
        with pytest.raises(ValueError, match="nine digits"):
            nhs.check_digit(bad)


def test_anything_that_is_not_ten_digits_is_shown_as_typed():
    assert nhs.format_nhs_number("999-000-0018") == "999 000 0018"
    assert nhs.format_nhs_number("12345") == "12345"


def test_only_ten_digit_numbers_from_the_999_range_are_synthetic():
    assert nhs.is_synthetic("999 000 0018")
    assert not nhs.is_synthetic("999")
    assert not nhs.is_synthetic("1234567890")


class _Draws(random.Random):
    """A Random that returns the given draws in turn, to steer synthetic()."""

    def __init__(self, *draws: int) -> None:
        super().__init__(0)
        self._draws = list(draws)

    def randrange(self, *args, **kwargs):
        return self._draws.pop(0)


def test_synthetic_numbers_skip_check_digit_ten_and_ten_nines():
    # 999000000 has check digit 10; 999999999 gives 9999999999, ten identical digits.
    assert nhs.synthetic(_Draws(0, 999_999, 1)) == "9990000018"


def _weighted_sum_is_a_multiple_of_11(number: str) -> bool:
    return sum(int(d) * w for d, w in zip(number, range(10, 0, -1), strict=True)) % 11 == 0


@given(st.from_regex(r"[0-9]{10}", fullmatch=True))
def test_validity_is_the_weighted_sum_of_all_ten_digits_being_a_multiple_of_11(number):
    # Weights 10..1 over all ten digits; a check digit of 10 can never be written.
    expected = _weighted_sum_is_a_multiple_of_11(number) and len(set(number)) > 1

    assert nhs.is_valid(number) is expected


@given(seed=st.integers(0, 2**32), position=st.integers(0, 8))
def test_swapping_two_neighbouring_different_digits_makes_a_valid_number_invalid(seed, position):
    number = nhs.synthetic(random.Random(seed))
    digits = list(number)
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    swapped = "".join(digits)

    assert nhs.is_valid(swapped) is (swapped == number)


@given(st.text())
def test_any_text_gets_a_message_or_none_and_never_an_exception(value):
    message = nhs.validation_error(value)

    assert message is None or message in {
        "Enter an NHS number",
        "NHS number must be 10 digits",
        "Enter a valid NHS number – check you have typed it correctly",
    }
    assert nhs.is_valid(value) is (message is None)
