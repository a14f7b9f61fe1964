"""The level of children's social care input, and the decisions that follow from it.

The level is stored once; whether a child protection plan is in place and whether
pre-proceedings (PLO) have started are read from it, so the two can never disagree.
"""

LEVELS = (
    "none",
    "assessment",
    "child_in_need",
    "child_protection",
    "pre_proceedings",
    "care_proceedings",
    "cla_parent_and_child",
    "closed",
)
OPEN_TO_CSC = frozenset(LEVELS) - {"none", "closed"}
# A child protection plan stays in place while pre-proceedings and care proceedings run
# alongside it; a child looked after in a parent and child placement has a care plan.
CP_PLAN_LEVELS = frozenset({"child_protection", "pre_proceedings", "care_proceedings"})
# Care proceedings follow pre-proceedings (the PLO): its steps stay on the timeline.
PRE_PROCEEDINGS_LEVELS = frozenset({"pre_proceedings", "care_proceedings"})


def has_cp_plan(level: str) -> bool:
    return level in CP_PLAN_LEVELS


def in_pre_proceedings(level: str) -> bool:
    return level in PRE_PROCEEDINGS_LEVELS


def is_open(level: str) -> bool:
    return level in OPEN_TO_CSC


# The level in words that read inside a sentence ("open to children's social care (child
# protection plan)"). The register's labels (cases.models.CscInput) say the same.
LEVEL_WORDS = {
    "none": "not open to children's social care",
    "assessment": "assessment",
    "child_in_need": "Child in Need",
    "child_protection": "child protection plan",
    "pre_proceedings": "pre-proceedings",
    "care_proceedings": "care proceedings",
    "cla_parent_and_child": "looked after in a parent and child placement",
    "closed": "closed to children's social care",
}
