"""Whether a case's facts could be true: the one place they are checked.

The timeline contract, the services that change a case and the forms that change it all
call `fact_problems`, so a caller from anywhere (a page, the coming API, an import, a
command) cannot store or compute from impossible facts. Forms only put each problem
against the box it came from. Each problem names the fact by its contract key and says
what is wrong in a sentence a person can act on.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from rules.dates import format_date
from rules.gestation import DAYS_IN_PREGNANCY
from rules.timeline import BORN_ALIVE, LOSSES, CaseFacts, NotApplicable, date_of
from rules.validation import MAX_WEEKS_AHEAD, event_date_error

LABELS = {
    "edd": "expected due date",
    "referral_date": "date of referral",
    "allocation_date": "date of allocation",
    "strategy_discussion_date": "date of the strategy discussion",
    "birth_date": "date of birth",
    "planned_discharge_date": "planned discharge date",
    "discharge": "date of discharge",
    "placement": "placement",
    "placement_date": "date the placement began",
}
# Facts that record something that has happened: never after today.
HAPPENED = (
    "referral_date",
    "allocation_date",
    "strategy_discussion_date",
    "birth_date",
    "discharge",
    "placement_date",
)


@dataclass(frozen=True)
class FactProblem:
    field: str  # the contract key: "allocation_date", or "events.genogram"
    message: str

    def __str__(self) -> str:
        return self.message


def fact_problems(facts: CaseFacts, *, registered_on: date | None = None) -> list[FactProblem]:
    """Everything impossible about these facts, first problem of each fact only.

    `registered_on` (a stored case's registration day) also refuses dates that happened
    implausibly long before the case existed (a typed 1900, a year out by one).
    """
    found: dict[str, str] = {}

    def problem(field: str, message: str) -> None:
        found.setdefault(field, message)

    today = facts.today
    if facts.edd > today + timedelta(weeks=MAX_WEEKS_AHEAD):
        problem("edd", f"The expected due date must be no more than {MAX_WEEKS_AHEAD} weeks"
                       " from today")  # fmt: skip
    for field in HAPPENED:
        day = date_of(getattr(facts, field))
        if day is not None and (
            message := event_date_error(
                day, today=today, registered_on=registered_on, label=LABELS[field]
            )
        ):
            problem(field, message)
    for milestone_id, done in facts.events.items():
        if not isinstance(done, NotApplicable) and (
            message := event_date_error(
                done, today=today, registered_on=registered_on, label="date it was done"
            )
        ):
            problem(f"events.{milestone_id}", message)
    for n, step in enumerate(facts.steps):
        if message := event_date_error(
            step.on, today=today, registered_on=registered_on, label="date of the step"
        ):
            problem(f"steps[{n}].date", message)

    outcome, birth = facts.pregnancy_outcome, facts.birth_date
    if outcome in LOSSES - {"neonatal_death"} and birth is not None:
        problem("birth_date", f"There is no date of birth after a {outcome.replace('_', ' ')}")
    if outcome in {"live_birth", "neonatal_death"} and birth is None:
        problem("birth_date", "Enter the date of birth")
    if birth is not None and birth < facts.edd - timedelta(days=DAYS_IN_PREGNANCY):
        began = format_date(facts.edd - timedelta(days=DAYS_IN_PREGNANCY))
        problem("birth_date", f"The date of birth must be after the pregnancy began ({began},"
                              " 0+0 weeks by the expected due date)")  # fmt: skip

    live_birth = birth is not None and outcome in BORN_ALIVE
    for field in ("planned_discharge_date", "discharge", "placement_date"):
        day = date_of(getattr(facts, field))
        if day is None:
            continue
        if not live_birth:
            problem(field, f"A {LABELS[field]} needs a live birth to be recorded first")
        elif birth is not None and day < birth:
            problem(field, f"The {LABELS[field]} must be on or after the birth"
                           f" ({format_date(birth)})")  # fmt: skip
    if facts.placement is not None and not live_birth:
        problem("placement", "A placement needs a live birth to be recorded first")
    if facts.placement_date is not None and facts.placement is None:
        problem("placement_date", "A date the placement began needs a placement: choose where"
                                  " the baby is living")  # fmt: skip

    if facts.allocation_date is not None:
        if facts.referral_date is None:
            problem("referral_date", "Enter the date of referral: a case is allocated after"
                                     " it is referred")  # fmt: skip
        elif facts.allocation_date < facts.referral_date:
            problem("allocation_date", "The date of allocation must be on or after the date"
                                       " of referral")  # fmt: skip
    return [FactProblem(field, message) for field, message in found.items()]
