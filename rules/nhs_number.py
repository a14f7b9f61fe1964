"""NHS numbers: the modulus 11 check, display format and synthetic numbers.

Synthetic numbers come from 999 000 0000 – 999 999 9999, a range never issued.
"""

import random
import re

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
# ASCII digits only: str.isdigit() also accepts "²" and "١", which int() then rejects or
# silently converts, and neither belongs in a stored NHS number.
_TEN_DIGITS = re.compile(r"[0-9]{10}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_SEPARATORS = re.compile(r"[\s-]+")


def normalise(value: str) -> str:
    """Without spaces (any whitespace, so a pasted non-breaking space too) or hyphens."""
    return _SEPARATORS.sub("", value)


def check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit, or None when the nine digits cannot form a number.

    Raises ValueError unless `first_nine` is exactly nine ASCII digits.
    """
    if not _NINE_DIGITS.fullmatch(first_nine):
        raise ValueError(f"expected nine digits, got {first_nine!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def is_valid(value: str) -> bool:
    return validation_error(value) is None


def validation_error(value: str) -> str | None:
    number = normalise(value or "")
    if not number:
        return "Enter an NHS number"
    if not _TEN_DIGITS.fullmatch(number):
        return "NHS number must be 10 digits"
    # Ten identical digits pass the modulus 11 check (d×54 + d ≡ 0), but are never issued.
    if len(set(number)) == 1 or check_digit(number[:9]) != int(number[9]):
        return "Enter a valid NHS number – check you have typed it correctly"
    return None


def format_nhs_number(value: str) -> str:
    """999 123 4567; anything that is not ten digits is shown as it was typed."""
    number = normalise(value)
    if not _TEN_DIGITS.fullmatch(number):
        return value
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def synthetic(rng: random.Random) -> str:
    """A valid number from the never-issued 999 range, drawn from `rng`."""
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        digit = check_digit(first_nine)
        number = f"{first_nine}{digit}"
        # 9999999999 has a good check digit but ten identical digits, so is not valid.
        if digit is not None and is_valid(number):
            return number


def is_synthetic(value: str) -> bool:
    """True for a ten-digit number from the never-issued 999 range."""
    number = normalise(value)
    return _TEN_DIGITS.fullmatch(number) is not None and number.startswith("999")
