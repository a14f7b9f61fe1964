"""NHS numbers: the modulus 11 check, display format and synthetic numbers.

Synthetic numbers come from 999 000 0000 – 999 999 9999, a range never issued.
"""

import random

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise(value: str) -> str:
    return value.strip().replace(" ", "").replace("-", "")


def check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit, or None when the nine digits cannot form a number."""
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
    if len(number) != 10 or not number.isdigit():
        return "NHS number must be 10 digits"
    if len(set(number)) == 1 or check_digit(number[:9]) != int(number[9]):
        return "Enter a valid NHS number – check you have typed it correctly"
    return None


def format_nhs_number(value: str) -> str:
    number = normalise(value)
    if len(number) != 10:
        return value
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def synthetic(rng: random.Random) -> str:
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"


def is_synthetic(value: str) -> bool:
    return normalise(value).startswith("999")
