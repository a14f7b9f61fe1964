"""Decisions and plans: the forms. They check what was typed; the services decide."""

from django import forms

from plans.models import ConferenceOutcome, DecisionKind, PlanCategory
from rules import decisions, plo
from web.forms import DateInputField, GovUKForm

# The kind in a URL ("strategy-discussion") and back.
KIND_SLUGS = {kind: kind.replace("_", "-") for kind in decisions.KINDS}
SLUG_KINDS = {slug: kind for kind, slug in KIND_SLUGS.items()}

# Per kind: (page title, the date's label, its name inside messages, the decision box's
# label, its hint, whether the box is required).
KIND_TEXT = {
    decisions.NO_FURTHER_ACTION: (
        "Record no further action", "Date of the decision", "date of the decision",
        "Why no further action", "The case closes to children's social care.", True,
    ),
    decisions.CHILD_IN_NEED: (
        "Record a Child in Need plan", "Date of the decision", "date of the decision",
        "What the plan is (optional)", "The level of CSC input becomes Child in Need.", False,
    ),
    decisions.STRATEGY_DISCUSSION: (
        "Record a strategy discussion", "Date of the strategy discussion",
        "date of the strategy discussion", "Outcome and next steps (optional)",
        "The initial child protection conference is due within 15 working days of it.", False,
    ),
    decisions.ICPC: (
        "Record the initial child protection conference", "Date of the conference",
        "date of the conference", "Notes on the outcome (optional)", "", False,
    ),
    decisions.LEGAL_PLANNING_MEETING: (
        "Record a legal planning meeting", "Date of the meeting", "date of the meeting",
        "What was decided (optional)",
        "Pre-proceedings (PLO) start: the PLO letter and the initial PLO meeting follow.",
        False,
    ),
    decisions.INITIAL_PLO_MEETING: (
        "Record the initial PLO meeting", "Date of the meeting", "date of the meeting",
        "What was agreed (optional)", "", False,
    ),
    decisions.BLA_PANEL: (
        "Record the Becoming Looked After panel", "Date of the panel", "date of the panel",
        "The panel's decision", "", True,
    ),
}  # fmt: skip

YES_NO = [("yes", "Yes"), ("no", "No")]


class KindForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are recording",
                        "invalid_choice": "Choose what you are recording"},
    )  # fmt: skip


class DecisionForm(GovUKForm):
    on = DateInputField(error_label="date", label="Date", help_text="For example, 27 3 2027")
    significant_harm = forms.ChoiceField(
        label="Did the strategy discussion identify a risk of significant harm?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="If yes, an initial child protection conference is needed",
        error_messages={
            "required": "Select whether the strategy discussion identified a risk of"
            " significant harm"
        },
    )
    conference_outcome = forms.ChoiceField(
        label="Outcome of the conference",
        choices=ConferenceOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the conference's outcome"},
    )
    plan_category = forms.ChoiceField(
        label="Category of the child protection plan (optional)",
        choices=[("", "Not recorded"), *PlanCategory.choices],
        required=False,
    )
    outcome = forms.CharField(
        label="Decision", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        title, date_label, date_words, box_label, box_hint, box_required = KIND_TEXT[kind]
        self.title = title
        self.fields["on"].label = date_label
        self.fields["on"].error_label = date_words
        self.fields["outcome"].label = box_label
        self.fields["outcome"].help_text = box_hint
        self.fields["outcome"].required = box_required
        self.fields["outcome"].error_messages["required"] = "Enter the decision"
        if kind != decisions.STRATEGY_DISCUSSION:
            del self.fields["significant_harm"]
        if kind != decisions.ICPC:
            del self.fields["conference_outcome"], self.fields["plan_category"]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {"on": data["on"], "outcome": data.get("outcome", "")}
        if "significant_harm" in self.fields:
            values["significant_harm"] = data["significant_harm"] == "yes"
        if "conference_outcome" in self.fields:
            values["conference_outcome"] = data["conference_outcome"]
            values["plan_category"] = data.get("plan_category", "")
        return values


class BirthPlanForm(GovUKForm):
    present_at_birth = forms.CharField(
        label="Who should be at the birth", max_length=5000,
        help_text="Names and relationship, for example the mother's sister as birth partner",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who should be at the birth"},
    )  # fmt: skip
    not_to_be_present = forms.CharField(
        label="Who poses a risk and cannot be present", max_length=5000,
        help_text="Names and why. Write \u201cNo one\u201d if there is no one",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter who poses a risk and cannot be present, or \u201cNo one\u201d"
        },
    )  # fmt: skip
    other_arrangements = forms.CharField(
        label="Other arrangements (optional)", max_length=5000, required=False,
        help_text="For example, the ward is told; security; who tells the family; contact",
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    agreed_on = DateInputField(
        error_label="date the birth plan was agreed", required=False,
        label="Date the birth plan was agreed (optional)",
        help_text="Leave empty while it is a draft. For example, 27 3 2027",
    )  # fmt: skip

    @classmethod
    def initial_for(cls, plan) -> dict:
        if plan is None:
            return {}
        return {name: getattr(plan, name) for name in cls.base_fields}


class PloLetterForm(GovUKForm):
    sent_on = DateInputField(
        error_label="date the letter was sent", required=False,
        label="Date the letter was sent",
        help_text="Leave empty until it is sent. For example, 27 3 2027",
    )  # fmt: skip
    enclosed = forms.MultipleChoiceField(
        label="What went with the letter",
        choices=plo.ENCLOSURES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. The letter counts as sent only with all four.",
    )

    @classmethod
    def initial_for(cls, letter) -> dict:
        if letter is None:
            return {}
        return {"sent_on": letter.sent_on, "enclosed": letter.enclosed}
