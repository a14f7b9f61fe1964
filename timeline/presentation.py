"""How a timeline is shown: status words and tag colours, and the visual strip.

The strip is server-rendered SVG (attributes, not inline styles, so the Content
Security Policy stays strict). The table beside it carries the same information
for screen readers and anyone who prefers text.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from rules.dates import format_date, format_datetime
from rules.gestation import DAYS_IN_PREGNANCY
from rules.protocol import Protocol

STATUS_LABELS = {
    "done": ("Done", "govuk-tag--green"),
    "done_late": ("Done late", "govuk-tag--yellow"),
    "overdue": ("Overdue", "govuk-tag--red"),
    "due_soon": ("Due soon", "govuk-tag--orange"),
    "upcoming": ("Upcoming", "govuk-tag--blue"),
    "awaiting": ("Waiting for a date", "govuk-tag--grey"),
    "not_applicable": ("Not applicable", "govuk-tag--grey"),
    "closed": ("Closed", "govuk-tag--grey"),
}
UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("day", "days"),
    "weeks": ("week", "weeks"),
}


def due_text(row) -> str:
    """A stored milestone's due: "12 June 2027, 10:00am" when it counts hours."""
    if row.due_at:
        return format_datetime(timezone.localtime(row.due_at))
    if row.due_date:
        return format_date(row.due_date)
    return "No fixed date" if row.tracked_without_date else "Waiting for a date"


def usual_warning(protocol: Protocol) -> str:
    """The warning window most of the protocol's milestones have: "10 working days"."""
    counts = Counter((rule.warning, rule.warning_unit) for rule in protocol.milestones)
    (amount, unit), _ = counts.most_common(1)[0]
    one, many = UNIT_WORDS[unit]
    return f"{amount} {one if amount == 1 else many}"


# Shape as well as colour, so status is never told by colour alone.
MARKERS = {
    "done": ("circle", "#00703c"),
    "done_late": ("circle", "#594d00"),
    "overdue": ("triangle", "#d4351c"),
    "due_soon": ("diamond", "#f47738"),
    "upcoming": ("ring", "#1d70b8"),
}
PREGNANCY_WEEKS = 42
AFTER_BIRTH_WEEKS = 8
LEFT = 20
RIGHT = 980


@dataclass(frozen=True)
class StripMarker:
    x: float
    shape: str
    colour: str
    label: str
    row: int

    @property
    def points(self) -> str:
        y = 60 + self.row * 16
        if self.shape == "triangle":
            return f"{self.x:.1f},{y - 7} {self.x - 7:.1f},{y + 6} {self.x + 7:.1f},{y + 6}"
        return (
            f"{self.x:.1f},{y - 7} {self.x + 7:.1f},{y} {self.x:.1f},{y + 7} {self.x - 7:.1f},{y}"
        )

    @property
    def y(self) -> int:
        return 60 + self.row * 16


@dataclass(frozen=True)
class Strip:
    ticks: list[tuple[float, str]]
    today_x: float | None
    edd_x: float
    birth_x: float | None
    birth_region_x: float
    birth_region_width: float
    markers: list[StripMarker]
    height: int


def build_strip(*, edd: date, today: date, birth: date | None, milestones) -> Strip:
    """Pregnancy weeks 0–42 then the first eight weeks after birth, on one line."""
    start = edd - timedelta(days=DAYS_IN_PREGNANCY)
    birth_or_edd = birth or edd
    pregnancy_end = start + timedelta(weeks=PREGNANCY_WEEKS)
    end = max(pregnancy_end, birth_or_edd) + timedelta(weeks=AFTER_BIRTH_WEEKS)
    span = (end - start).days

    def x(day: date) -> float:
        clamped = min(max(day, start), end)
        return LEFT + (RIGHT - LEFT) * (clamped - start).days / span

    ticks = [(x(start + timedelta(weeks=w)), f"{w}") for w in range(0, PREGNANCY_WEEKS + 1, 4)]
    ticks += [
        (x(birth_or_edd + timedelta(weeks=w)), f"+{w}w") for w in range(2, AFTER_BIRTH_WEEKS + 1, 2)
    ]
    markers = []
    rows: dict[int, float] = {}
    for milestone in milestones:
        marker = MARKERS.get(milestone.status)
        if marker is None or milestone.due_date is None:
            continue
        position = x(milestone.due_date)
        row = 0
        while rows.get(row, -100) > position - 16:
            row += 1
        rows[row] = position
        status = STATUS_LABELS[milestone.status][0].lower()
        label = f"{milestone.title}: {status}, due {format_date(milestone.due_date)}"
        markers.append(StripMarker(position, marker[0], marker[1], label, row))
    return Strip(
        ticks=ticks,
        today_x=x(today) if start <= today <= end else None,
        edd_x=x(edd),
        birth_x=x(birth) if birth else None,
        birth_region_x=x(birth_or_edd),
        birth_region_width=RIGHT - x(birth_or_edd),
        markers=markers,
        height=90 + 16 * (max(rows) if rows else 0),
    )
