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


def usual_warning(protocol: Protocol) -> str:
    """The warning window most of the protocol's milestones have: "10 working days"."""
    counts = Counter((rule.warning, rule.warning_unit) for rule in protocol.milestones)
    (amount, unit), _ = counts.most_common(1)[0]
    one, many = UNIT_WORDS[unit]
    return f"{amount} {one if amount == 1 else many}"


# Shape as well as colour, so status is never told by colour alone.
MARKERS = {
    "done": ("circle", "#00703c"),
    "done_late": ("square", "#594d00"),
    "overdue": ("triangle", "#d4351c"),
    "due_soon": ("diamond", "#f47738"),
    "upcoming": ("ring", "#1d70b8"),
}
PREGNANCY_WEEKS = 42
AFTER_BIRTH_WEEKS = 8
LEFT = 20
RIGHT = 980
WIDTH = 1000  # the SVG's viewBox is WIDTH units wide
FONT_SIZE = 16  # of the strip's labels, in viewBox units
MARKER_TOP = 72  # the centre of the first row of markers
ROW_HEIGHT = 18  # between rows of markers that would otherwise touch
LABEL_GAP = 8  # the least room between two labels


def label_width(text: str, font_size: float = FONT_SIZE) -> float:
    """A generous estimate of how wide Arial draws a short label (digits, "+", "w")."""
    return 0.62 * font_size * len(text)


def due_text(milestone, status: str) -> str:
    """What the "Due" column says: "12 June 2027 at 10am" when it counts hours. A
    milestone that is done, not applicable or closed with no due date of its own says
    so, never "Waiting for a date"."""
    if milestone.due_at:
        return format_datetime(timezone.localtime(milestone.due_at))
    if milestone.due_date:
        return format_date(milestone.due_date)
    if milestone.tracked_without_date:
        return "No fixed date"
    if status in {"done", "done_late", "not_applicable", "closed"}:
        return "No due date"
    return STATUS_LABELS["awaiting"][0]


@dataclass(frozen=True)
class StripMarker:
    x: float
    shape: str
    colour: str
    label: str
    row: int

    @property
    def y(self) -> int:
        return MARKER_TOP + self.row * ROW_HEIGHT

    @property
    def left(self) -> float:
        """The left edge of a square marker."""
        return self.x - 6

    @property
    def points(self) -> str:
        y = self.y
        if self.shape == "triangle":
            return f"{self.x:.1f},{y - 7} {self.x - 7:.1f},{y + 6} {self.x + 7:.1f},{y + 6}"
        return (
            f"{self.x:.1f},{y - 7} {self.x + 7:.1f},{y} {self.x:.1f},{y + 7} {self.x - 7:.1f},{y}"
        )


@dataclass(frozen=True)
class KeyEntry:
    """One line of the strip's key: a swatch drawn like the mark, and what it means."""

    shape: str  # a marker shape, or "line", "dashed_line", "band"
    colour: str
    text: str


@dataclass(frozen=True)
class Strip:
    ticks: list[tuple[float, str]]
    today_x: float | None
    today_label_x: float | None
    edd_x: float
    birth_x: float | None
    birth_region_x: float
    birth_region_width: float
    markers: list[StripMarker]
    key: list[KeyEntry]
    height: int


def _ticks(start: date, birth_or_edd: date, end: date, x) -> list[tuple[float, str]]:
    """Weeks of pregnancy every 4 weeks up to the birth (or the EDD), then weeks after
    it, every 2 weeks or more sparsely if they would crowd. The weeks after birth come
    first; a pregnancy week whose label would touch one of them, or that falls after
    the birth, is left out, so no two labels ever overlap."""
    after_span = (end - birth_or_edd).days // 7
    for step in (2, 4, 8, 16):
        spacing = x(birth_or_edd + timedelta(weeks=step)) - x(birth_or_edd)
        if spacing >= label_width(f"+{after_span}w") + LABEL_GAP:
            break
    after = [
        (x(birth_or_edd + timedelta(weeks=w)), f"+{w}w") for w in range(step, after_span + 1, step)
    ]
    kept: list[tuple[float, str]] = []
    birth_x = x(birth_or_edd)
    for week in range(0, PREGNANCY_WEEKS + 1, 4):
        position = x(start + timedelta(weeks=week))
        label = str(week)
        if position > birth_x + 0.05:
            break
        if all(
            abs(position - other) >= (label_width(label) + label_width(text)) / 2 + LABEL_GAP
            for other, text in after
        ):
            kept.append((position, label))
    return kept + after


def _marker_label(milestone) -> str:
    if milestone.status in {"done", "done_late"}:
        label = f"{milestone.title}: {STATUS_LABELS[milestone.status][0].lower()}"
        if milestone.done_date:
            label += f" {format_date(milestone.done_date)}"
        if milestone.due_date:
            label += f", due {format_date(milestone.due_date)}"
        return label
    status = STATUS_LABELS[milestone.status][0].lower()
    return f"{milestone.title}: {status}, due {format_date(milestone.due_date)}"


def _key(markers: list[StripMarker], *, birth: bool, today: bool) -> list[KeyEntry]:
    used = {marker.shape for marker in markers}
    key = [
        KeyEntry(shape, colour, STATUS_LABELS[status][0].lower())
        for status, (shape, colour) in MARKERS.items()
        if shape in used
    ]
    key.append(KeyEntry("band", "#cce2d8", "weeks after birth"))
    key.append(KeyEntry("dashed_line", "#0b0c0c", "expected due date (EDD)"))
    if birth:
        key.append(KeyEntry("line", "#00703c", "birth"))
    if today:
        key.append(KeyEntry("line", "#1d70b8", "today"))
    return key


def build_strip(*, edd: date, today: date, birth: date | None, milestones) -> Strip:
    """Pregnancy weeks 0–42 then the first eight weeks after birth, on one line.

    A milestone is drawn at its due date; one done with no due date of its own, at
    the day it was done. Milestones without either (waiting for a date, not
    applicable, closed) are in the table only."""
    start = edd - timedelta(days=DAYS_IN_PREGNANCY)
    birth_or_edd = birth or edd
    pregnancy_end = start + timedelta(weeks=PREGNANCY_WEEKS)
    end = max(pregnancy_end, birth_or_edd) + timedelta(weeks=AFTER_BIRTH_WEEKS)
    span = (end - start).days

    def x(day: date) -> float:
        clamped = min(max(day, start), end)
        return LEFT + (RIGHT - LEFT) * (clamped - start).days / span

    markers = []
    rows: dict[int, float] = {}
    for milestone in milestones:
        marker = MARKERS.get(milestone.status)
        done = milestone.status in {"done", "done_late"}
        day = milestone.due_date or (milestone.done_date if done else None)
        if marker is None or day is None:
            continue
        position = x(day)
        row = 0
        while rows.get(row, -100) > position - 16:
            row += 1
        rows[row] = position
        markers.append(StripMarker(position, marker[0], marker[1], _marker_label(milestone), row))
    today_x = x(today) if start <= today <= end else None
    today_half = label_width("Today") / 2
    return Strip(
        ticks=_ticks(start, birth_or_edd, end, x),
        today_x=today_x,
        today_label_x=(
            None if today_x is None else min(max(today_x, today_half), WIDTH - today_half)
        ),
        edd_x=x(edd),
        birth_x=x(birth) if birth else None,
        birth_region_x=x(birth_or_edd),
        birth_region_width=RIGHT - x(birth_or_edd),
        markers=markers,
        key=_key(markers, birth=birth is not None, today=today_x is not None),
        height=MARKER_TOP + 40 + ROW_HEIGHT * (max(rows) if rows else 0),
    )
