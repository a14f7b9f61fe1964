"""The decisions of the pre-birth assessment, and the level of children's social care
input each leaves the case at.

The level is stored once, on the case (rules/csc.py reads a child protection plan and
pre-proceedings from it). A decision moves it; a decision that is part of a higher level
already reached (a conference's plan while pre-proceedings run) leaves it where it is.
"""

from rules import csc

NO_FURTHER_ACTION = "no_further_action"
CHILD_IN_NEED = "child_in_need"
STRATEGY_DISCUSSION = "strategy_discussion"
ICPC = "icpc"
LEGAL_PLANNING_MEETING = "legal_planning_meeting"
INITIAL_PLO_MEETING = "initial_plo_meeting"
BLA_PANEL = "bla_panel"

# In the order they usually come.
KINDS: tuple[str, ...] = (
    NO_FURTHER_ACTION,
    CHILD_IN_NEED,
    STRATEGY_DISCUSSION,
    ICPC,
    LEGAL_PLANNING_MEETING,
    INITIAL_PLO_MEETING,
    BLA_PANEL,
)

# The recorded step (rules.protocol.STEP_KINDS) each decision establishes, if any.
STEPS: dict[str, str] = {
    ICPC: "icpc",
    LEGAL_PLANNING_MEETING: "legal_planning_meeting",
    INITIAL_PLO_MEETING: "initial_plo_meeting",
    BLA_PANEL: "bla_panel",
}

# The conference's outcomes.
CP_PLAN = "cp_plan"
NO_PLAN = "no_plan"


def level_after(kind: str, level: str, *, cp_plan: bool = False) -> str:
    """The level of CSC input once this decision is made, from the level before it.
    `cp_plan`: the conference decided on a child protection plan."""
    if kind == NO_FURTHER_ACTION:
        return "closed"
    if kind == CHILD_IN_NEED:
        return "child_in_need"
    if kind == ICPC and cp_plan and not csc.has_cp_plan(level):
        return "child_protection"
    if kind in {LEGAL_PLANNING_MEETING, INITIAL_PLO_MEETING} and not csc.in_pre_proceedings(level):
        return "pre_proceedings"
    return level
