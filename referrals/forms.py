"""Referrals and allocation: the forms. They check what was typed; the services decide
what may be stored (and the forms put the services' refusals against their boxes)."""

from django import forms
from django.utils import timezone

from referrals.models import ReferrerAgency, RiskFactorKind
from referrals.selectors import risk_factor_choices
from referrals.services import (
    DIRECTIONS_REQUIRED,
    NAME_MAX,
    allocation_problems,
    referral_problems,
)
from web.forms import DateInputField, GovUKForm

COMPLEXITY = [("yes", "Yes, the case is complex"), ("no", "No, the case is not complex")]


class ReferralForm(GovUKForm):
    """The referral to children's social care with the risk sensible model."""

    received_on = DateInputField(
        label="Date of the referral",
        error_label="date of the referral",
        help_text="The day children's social care received it. For example, 20 1 2027",
    )
    referrer_name = forms.CharField(
        label="Who made the referral?",
        max_length=NAME_MAX,
        help_text="Their name",
        error_messages={"required": "Enter the name of the person who made the referral"},
    )
    referrer_agency = forms.ChoiceField(
        label="Which agency made the referral?",
        choices=ReferrerAgency.choices,
        widget=forms.RadioSelect(attrs={"small": True}),
        error_messages={"required": "Select the agency that made the referral"},
    )
    high_risk_indicators = forms.MultipleChoiceField(
        label="High risk indicators",
        help_text="Select all that apply",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    high_risk_notes = forms.CharField(
        label="Other high risk indicators, or more about them",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    underlying_risk_factors = forms.MultipleChoiceField(
        label="Underlying risk factors",
        help_text="Select all that apply",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    underlying_notes = forms.CharField(
        label="Other underlying risk factors, or more about them",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complex = forms.ChoiceField(
        label="Is the case complex?",
        help_text=(
            "Referred before 30 weeks, a complex case is allocated with the Safeguarding"
            " Children's Team; otherwise it stays with the Duty and Assessment Team"
        ),
        choices=COMPLEXITY,
        widget=forms.RadioSelect(attrs={"small": True}),
        error_messages={"required": "Select whether the case is complex"},
    )
    complexity_notes = forms.CharField(
        label="Why the case is, or is not, complex",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    SERVICE_FIELDS = ("received_on", "referrer_name", "referrer_agency")
    LISTS = {
        "high_risk_indicators": RiskFactorKind.HIGH_RISK_INDICATOR,
        "underlying_risk_factors": RiskFactorKind.UNDERLYING_RISK_FACTOR,
    }

    def __init__(self, *args, case, keep: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        for name, kind in self.LISTS.items():
            self.fields[name].choices = risk_factor_choices(kind, keep=keep)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("received_on"):
            # The service decides (the same function); this puts each problem on its box.
            values = {name: cleaned.get(name, "") for name in self.SERVICE_FIELDS}
            complex_case = cleaned.get("complex") == "yes"
            _add_problems(self, referral_problems(self.case, values, complex_case))
        return cleaned

    @classmethod
    def initial_for(cls, case, referral) -> dict:
        initial = {
            "received_on": case.referral_date,
            "complex": ("yes" if case.complex else "no") if case.referral_date else None,
        }
        if referral is not None:
            codes_by_kind: dict[str, list[str]] = {kind: [] for kind in cls.LISTS.values()}
            for factor in referral.risk_factors.all():
                codes_by_kind[factor.kind].append(factor.code)
            initial.update(
                referrer_name=referral.referrer_name,
                referrer_agency=referral.referrer_agency,
                high_risk_indicators=codes_by_kind[RiskFactorKind.HIGH_RISK_INDICATOR],
                underlying_risk_factors=codes_by_kind[RiskFactorKind.UNDERLYING_RISK_FACTOR],
                high_risk_notes=referral.high_risk_notes,
                underlying_notes=referral.underlying_notes,
                complexity_notes=referral.complexity_notes,
            )
        return initial

    def values(self) -> dict:
        """What the service takes, but the risk factors (codes: `codes()`)."""
        data = self.cleaned_data
        return {
            "received_on": data["received_on"],
            "referrer_name": data["referrer_name"],
            "referrer_agency": data["referrer_agency"],
            "complex": data["complex"] == "yes",
            "high_risk_notes": data["high_risk_notes"],
            "underlying_notes": data["underlying_notes"],
            "complexity_notes": data["complexity_notes"],
        }

    def codes(self) -> list[str]:
        return [*self.cleaned_data["high_risk_indicators"],
                *self.cleaned_data["underlying_risk_factors"]]  # fmt: skip


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name}, {obj.get_team_display()}" if obj.team else name


class AllocationForm(GovUKForm):
    """The team manager's allocation, with the case note of directions."""

    allocated_to = WorkerChoiceField(
        label="Social worker",
        queryset=None,
        empty_label="Select a social worker",
        error_messages={
            "required": "Select the social worker to allocate the case to",
            "invalid_choice": "Select a social worker of the case's locality",
        },
    )
    allocated_on = DateInputField(
        label="Date of allocation",
        error_label="date of allocation",
        help_text="For example, 20 1 2027",
    )
    directions = forms.CharField(
        label="Case note of directions",
        help_text=(
            "What the allocated worker should do first: the introductory home visit with both"
            " parents, the agencies to inform, the checks to make"
        ),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": DIRECTIONS_REQUIRED},
    )

    def __init__(self, *args, case, workers, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("allocated_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["allocated_to"].queryset = workers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("allocated_on"):
            _add_problems(self, allocation_problems(
                self.case, cleaned.get("allocated_to"), cleaned["allocated_on"],
                cleaned.get("directions", ""),
            ))  # fmt: skip
        return cleaned


def _add_problems(form, problems: dict[str, str]) -> None:
    """The service's problems against their boxes; a box already in error keeps its own."""
    for name, message in problems.items():
        if name in form.errors:
            continue
        if name in form.fields:
            form.add_error(name, forms.ValidationError(message, params={"part": None}))
        else:
            form.add_error(None, message)
