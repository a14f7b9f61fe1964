"""Pre-birth assessments: the forms."""

from django import forms

from rules import assessment as rules
from web.forms import GovUKForm

MAX_TEXT = 20_000


class _Versioned(GovUKForm):
    # The version of the area (or view) the form was shown with: a save made meanwhile is
    # caught rather than overwritten.
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                 widget=forms.HiddenInput)  # fmt: skip


class ButtonForm(GovUKForm):
    """A page whose form is a single button (open the assessment, send it): a refusal goes
    in its error summary, and so in the page title's "Error: "."""


class AreaForm(_Versioned):
    text = forms.CharField(required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 12}))  # fmt: skip
    # Which button was pressed: "Save as draft" or "Mark as completed".
    action = forms.ChoiceField(
        required=False,
        choices=[(a, a) for a in rules.SAVE_ACTIONS],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose to save as a draft or mark as completed"},
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "Your assessment"
        self.fields["text"].help_text = area.hint
        self.fields["text"].error_messages["max_length"] = (
            f"Enter no more than {MAX_TEXT:,} characters"
        )

    def clean_action(self):
        return self.cleaned_data.get("action") or rules.DRAFT


class AgencyViewForm(_Versioned):
    text = forms.CharField(max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, agency_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "Your agency's view"
        self.fields["text"].help_text = (
            "What your agency knows of the family and thinks of the risks to the baby, for the"
            " assessment's views of other agencies."
        )
        self.fields["text"].error_messages.update(
            required=f"Enter the {agency_label} view",
            max_length=f"Enter no more than {MAX_TEXT:,} characters",
        )


CHOOSE = "Choose whether to authorise the assessment or return it"


class DecisionForm(GovUKForm):
    AUTHORISE = "authorise"
    RETURN = "return"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(AUTHORISE, "Authorise the assessment"),
                 (RETURN, "Return it to the worker for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )  # fmt: skip
    reason = forms.CharField(
        label="Reason",
        help_text="Needed when you return it: what must change. Optional when you authorise it.",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": f"Enter no more than {MAX_TEXT:,} characters"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter what needs to change before it is authorised")
        return cleaned
