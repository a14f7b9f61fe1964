"""Forms for the case register. Each re-shows what was typed, with GOV.UK errors."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.models import Locality, RoleCode
from cases.models import (
    NAMED_PROFESSIONALS,
    CscInput,
    IdentificationSource,
    Placement,
    PregnancyOutcome,
    Relationship,
    Sex,
)
from cases.services import DUPLICATE_REASON_REQUIRED, BabyDetails, fact_problems_after
from rules import nhs_number as nhs
from rules.births import time_of_birth_errors, times_of_birth
from rules.dates import format_date
from rules.validation import mother_date_of_birth_error, new_case_edd_error, revised_edd_error
from web.forms import DateInputField, GovUKForm, TimeOfDayField

NO_PARTNER = ""
MAX_BABIES = 4


def _text(label: str, *, required: bool = True, max_length: int = 100, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"required": f"Enter the {label[0].lower() + label[1:]}"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", **attrs}),
    )


def _nhs_number(label: str, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        help_text="For example, 999 123 4567",
        error_messages={"required": "Enter an NHS number"},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


def _clean_nhs(value: str) -> str:
    if not value:
        return ""
    message = nhs.validation_error(value)
    if message:
        raise forms.ValidationError(message)
    return nhs.normalise(value)


# Who can be a case's named professional for each agency: the practitioners, and the
# people who lead them (a team manager holding a case; the Named Midwife or Named PHN).
NAMED_PROFESSIONAL_ROLES = {
    "named_social_worker": (RoleCode.SOCIAL_WORKER, RoleCode.TEAM_MANAGER),
    "named_midwife": (RoleCode.MIDWIFE, RoleCode.NAMED_MIDWIFE),
    "named_health_visitor": (RoleCode.HEALTH_VISITOR, RoleCode.NAMED_PHN),
}


def professionals(roles, localities, keep=()):
    """Active people holding one of the roles in one of the localities, and anyone in
    `keep` (who is named on the case now, so saving the form does not drop them)."""
    in_role = Q(is_active=True, roles__code__in=roles, localities__in=localities)
    return (
        get_user_model()
        .objects.filter(in_role | Q(pk__in=[pk for pk in keep if pk]))
        .distinct()
        .order_by("first_name", "last_name")
    )


class _ProfessionalChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class CaseDetailsForm(GovUKForm):
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the locality",
            "invalid_choice": "Choose a locality you work in",
        },
    )
    identified_date = DateInputField(
        label="When was the pregnancy identified?",
        error_label="date the pregnancy was identified",
        help_text="For example, 27 3 2026",
    )
    identified_source = forms.ChoiceField(
        label="Where was the pregnancy identified?",
        choices=IdentificationSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the pregnancy was identified"},
    )
    csc_input = forms.ChoiceField(
        label="Level of children's social care input",
        choices=CscInput.choices,
        initial=CscInput.NONE,
        widget=forms.RadioSelect,
        help_text="A child protection plan, and pre-proceedings, follow from this level",
    )
    named_social_worker = _ProfessionalChoice(
        label="Named social worker", queryset=None, required=False, empty_label="None yet"
    )
    named_midwife = _ProfessionalChoice(
        label="Named midwife", queryset=None, required=False, empty_label="None yet"
    )
    named_health_visitor = _ProfessionalChoice(
        label="Named health visitor", queryset=None, required=False, empty_label="None yet"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        localities = Locality.objects.filter(id__in=user.locality_ids, active=True)
        self.fields["locality"].queryset = localities
        initial = self.initial or {}
        for name, roles in NAMED_PROFESSIONAL_ROLES.items():
            current = initial.get(name)
            self.fields[name].queryset = professionals(
                roles, user.locality_ids, keep=[getattr(current, "pk", current)]
            )

    def clean_identified_date(self):
        value = self.cleaned_data["identified_date"]
        if value and value > self.today:
            raise forms.ValidationError(
                "The date the pregnancy was identified must be today or in the past",
                params={"part": None},
            )
        return value

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in CaseDetailsForm.base_fields
                if name in self.fields}  # fmt: skip


class CaseRegisterForm(CaseDetailsForm):
    mother_given_name = _text("Mother's first name")
    mother_family_name = _text("Mother's last name")
    mother_date_of_birth = DateInputField(
        label="Mother's date of birth",
        error_label="mother's date of birth",
        help_text="For example, 14 7 1998",
    )
    mother_nhs_number = _nhs_number("Mother's NHS number", required=True)
    mother_address = forms.CharField(
        label="Mother's address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )
    mother_postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    edd = DateInputField(
        label="Expected due date (EDD)",
        error_label="expected due date",
        help_text="From the dating scan if there has been one. For example, 10 6 2027",
    )
    partner_relationship = forms.ChoiceField(
        label="Father or partner",
        required=False,
        choices=[(NO_PARTNER, "Not known yet"), *Relationship.choices],
        widget=forms.RadioSelect,
        help_text="You can add more fathers or partners, including putative fathers, later.",
    )
    partner_given_name = _text("Father or partner's first name", required=False)
    partner_family_name = _text("Father or partner's last name", required=False)
    partner_date_of_birth = DateInputField(
        label="Father or partner's date of birth",
        error_label="father or partner's date of birth",
        required=False,
        help_text="If known. For example, 2 11 1995",
    )
    # Asked only when the mother matches an open case (cases.selectors.possible_duplicates).
    duplicate_reason = forms.CharField(
        label="Why are you registering this case anyway?",
        help_text="For example, the other case is an earlier pregnancy that was not closed",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "mother_given_name",
        "mother_family_name",
        "mother_date_of_birth",
        "mother_nhs_number",
        "mother_address",
        "mother_postcode",
        "edd",
        "identified_date",
        "identified_source",
        "partner_relationship",
        "partner_given_name",
        "partner_family_name",
        "partner_date_of_birth",
        "locality",
        "csc_input",
        "named_social_worker",
        "named_midwife",
        "named_health_visitor",
    ]

    def clean_mother_nhs_number(self):
        return _clean_nhs(self.cleaned_data["mother_nhs_number"])

    def clean_mother_date_of_birth(self):
        value = self.cleaned_data["mother_date_of_birth"]
        message = mother_date_of_birth_error(value, self.today) if value else None
        if message:
            raise forms.ValidationError(message, params={"part": None})
        return value

    def clean_edd(self):
        value = self.cleaned_data["edd"]
        message = new_case_edd_error(value, self.today) if value else None
        if message:
            raise forms.ValidationError(message, params={"part": None})
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("partner_relationship"):
            for name in ("partner_given_name", "partner_family_name"):
                if not cleaned.get(name) and name not in self.errors:
                    label = self.fields[name].label
                    self.add_error(name, f"Enter the {label[0].lower() + label[1:]}")
        partner_dob = cleaned.get("partner_date_of_birth")
        if partner_dob and partner_dob >= self.today:
            self.add_error(
                "partner_date_of_birth",
                forms.ValidationError(
                    "Father or partner's date of birth must be in the past", params={"part": None}
                ),
            )
        return cleaned

    def duplicate_reason_given(self) -> str | None:
        """Going on despite a possible duplicate: the reason typed, or None, with the
        error shown, when there is none."""
        reason = self.cleaned_data.get("duplicate_reason", "").strip()
        if not reason:
            self.add_error("duplicate_reason", DUPLICATE_REASON_REQUIRED)
            return None
        return reason

    def mother(self) -> dict:
        return {
            "given_name": self.cleaned_data["mother_given_name"],
            "family_name": self.cleaned_data["mother_family_name"],
            "date_of_birth": self.cleaned_data["mother_date_of_birth"],
            "nhs_number": self.cleaned_data["mother_nhs_number"],
            "address": self.cleaned_data["mother_address"],
            "postcode": self.cleaned_data["mother_postcode"].upper(),
        }

    def partner(self) -> dict | None:
        relationship = self.cleaned_data.get("partner_relationship")
        if not relationship:
            return None
        return {
            "relationship": relationship,
            "person": {
                "given_name": self.cleaned_data["partner_given_name"],
                "family_name": self.cleaned_data["partner_family_name"],
                "date_of_birth": self.cleaned_data["partner_date_of_birth"],
            },
        }


class PartnerForm(GovUKForm):
    relationship = forms.ChoiceField(
        label="Relationship to the unborn baby",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the relationship"},
    )
    given_name = _text("First name")
    family_name = _text("Last name")
    date_of_birth = DateInputField(
        label="Date of birth",
        error_label="date of birth",
        required=False,
        help_text="If known. For example, 2 11 1995",
    )
    nhs_number = _nhs_number("NHS number", required=False)
    address = forms.CharField(
        label="Address, if different from the mother's",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )

    def clean_nhs_number(self):
        return _clean_nhs(self.cleaned_data["nhs_number"])

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value >= timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past", params={"part": None})
        return value

    def person(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("given_name", "family_name", "date_of_birth", "nhs_number", "address")
        }


class EddReviseForm(GovUKForm):
    edd = DateInputField(
        label="New expected due date",
        error_label="new expected due date",
        help_text="For example, 10 6 2027",
    )
    reason = forms.CharField(
        label="Why has the due date changed?",
        help_text="For example, dating scan on 3 February 2027",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why the due date has changed"},
    )

    def __init__(self, *args, current_edd: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_edd = current_edd

    def clean_edd(self):
        value = self.cleaned_data["edd"]
        if value is None:
            return value
        message = revised_edd_error(value, timezone.localdate())
        if message:
            raise forms.ValidationError(message, params={"part": None})
        if value == self.current_edd:
            raise forms.ValidationError(
                "The new expected due date is the same as the current one", params={"part": None}
            )
        return value


class OutcomeForm(GovUKForm):
    """How the pregnancy ended. For a live birth, one set of details per baby."""

    outcome = forms.ChoiceField(
        label="How did the pregnancy end?",
        choices=PregnancyOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the pregnancy ended"},
    )
    outcome_date = DateInputField(
        label="Date",
        error_label="date",
        help_text="The date of birth (of the first baby, for twins or more), or the date the"
        " pregnancy ended. For example, 10 6 2027",
    )

    def __init__(self, *args, babies: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.baby_count = max(1, min(babies, MAX_BABIES))
        for n in range(1, self.baby_count + 1):
            prefix = f"baby_{n}_"
            label = f"Baby {n}: " if self.baby_count > 1 else "Baby's "
            self.fields[prefix + "time"] = TimeOfDayField(
                label=f"{label}time of birth",
                error_label="time of birth",
                required=False,
                help_text=(
                    "For example, 14:30 or 2:30pm"
                    if self.baby_count == 1 or n == 1
                    else "For example, 14:30. A time earlier than the baby before means"
                    " born after midnight, on the next day"
                ),
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            )
            self.fields[prefix + "sex"] = forms.ChoiceField(
                label=f"{label}sex (optional)",
                choices=Sex.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"small": True}),
            )
            self.fields[prefix + "given_name"] = _text(f"{label}first name", required=False)
            self.fields[prefix + "family_name"] = _text(f"{label}last name", required=False)
            self.fields[prefix + "nhs_number"] = _nhs_number(f"{label}NHS number", required=False)
            self.fields[prefix + "weight"] = forms.IntegerField(
                label=f"{label}birth weight in grams",
                required=False,
                min_value=200,
                max_value=7000,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}
                ),
                error_messages={
                    "invalid": "Enter the birth weight in grams, like 3250",
                    "min_value": "Birth weight must be at least 200 grams",
                    "max_value": "Birth weight must be 7,000 grams or less",
                },
            )

    def baby_field_groups(self):
        return [
            [
                self[f"baby_{n}_{name}"]
                for name in ("time", "sex", "given_name", "family_name", "nhs_number", "weight")
            ]
            for n in range(1, self.baby_count + 1)
        ]

    def clean_outcome_date(self):
        value = self.cleaned_data["outcome_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                "The date must be today or in the past", params={"part": None}
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") != PregnancyOutcome.LIVE_BIRTH:
            return cleaned
        for n in range(1, self.baby_count + 1):
            prefix = f"baby_{n}_"
            if not cleaned.get(prefix + "time") and prefix + "time" not in self.errors:
                self.add_error(prefix + "time", "Enter the time of birth")
            nhs_value = cleaned.get(prefix + "nhs_number")
            if nhs_value:
                try:
                    cleaned[prefix + "nhs_number"] = _clean_nhs(nhs_value)
                except forms.ValidationError as error:
                    self.add_error(prefix + "nhs_number", error)
        if cleaned.get("outcome_date") and not self.errors:
            self.born_at = self.times_of_birth()
            self._check_times_of_birth(self.born_at)
        return cleaned

    def times_of_birth(self) -> list[datetime]:
        return times_of_birth(
            self.cleaned_data["outcome_date"],
            [self.cleaned_data[f"baby_{n}_time"] for n in range(1, self.baby_count + 1)],
            ZoneInfo(settings.TIME_ZONE),
        )

    def _check_times_of_birth(self, moments: list[datetime]) -> None:
        for n, message in time_of_birth_errors(moments, timezone.now()).items():
            self.add_error(f"baby_{n + 1}_time", message)

    def babies(self) -> list[BabyDetails]:
        if self.cleaned_data["outcome"] != PregnancyOutcome.LIVE_BIRTH:
            return []
        return [
            BabyDetails(
                born_at=born_at,
                sex=self.cleaned_data[f"baby_{n}_sex"],
                given_name=self.cleaned_data[f"baby_{n}_given_name"],
                family_name=self.cleaned_data[f"baby_{n}_family_name"],
                nhs_number=self.cleaned_data[f"baby_{n}_nhs_number"],
                birth_weight_grams=self.cleaned_data[f"baby_{n}_weight"],
            )
            for n, born_at in enumerate(self.born_at, start=1)  # worked out by clean()
        ]


class BabyDeathForm(GovUKForm):
    died_on = DateInputField(
        label="Date of death", error_label="date of death", help_text="For example, 10 6 2027"
    )

    def __init__(self, *args, born_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.born_on = born_on

    def clean_died_on(self):
        value = self.cleaned_data["died_on"]
        if value is None:
            return value
        if value > timezone.localdate():
            raise forms.ValidationError(
                "The date of death must be today or in the past", params={"part": None}
            )
        if value < self.born_on:
            born = format_date(self.born_on)
            raise forms.ValidationError(
                f"The date of death must be on or after the date of birth, {born}",
                params={"part": None},
            )
        return value


class CaseSearchForm(forms.Form):
    q = forms.CharField(label="Name, NHS number or case reference", required=False, max_length=100)
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.all(), required=False, empty_label="All"
    )
    csc_input = forms.ChoiceField(
        label="Level of CSC input", choices=[("", "All"), *CscInput.choices], required=False
    )
    named = forms.ModelChoiceField(
        label="Named professional", queryset=None, required=False, empty_label="Anyone"
    )
    gaps = forms.MultipleChoiceField(
        label="Named professional gaps",
        help_text="Cases missing any that you select",
        choices=[(kind, missing) for kind, (_, missing) in NAMED_PROFESSIONALS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            (key, key) for key in ("edd", "-edd", "name", "-name", "registered", "-registered")
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = Locality.objects.filter(id__in=user.locality_ids)
        every_role = [role for roles in NAMED_PROFESSIONAL_ROLES.values() for role in roles]
        self.fields["named"].queryset = professionals(every_role, user.locality_ids)
        self.fields["named"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_gaps(self):
        return tuple(self.cleaned_data["gaps"])

    def clean_sort(self):
        return self.cleaned_data["sort"] or "edd"


# The decisions the timeline depends on, as the facts page shows them. Each is set by
# the record that makes it: complexity by the referral, significant harm by the strategy
# discussion or conference, the panel by the Becoming Looked After panel's decision.
DECISIONS = [
    ("complex", "The case is complex (Safeguarding Children's Team)"),
    ("significant_harm", "The unborn baby is at risk of significant harm"),
    ("bla_panel", "The case needs the Becoming Looked After panel"),
]


class CaseFactsForm(GovUKForm):
    """The facts of the birth the timeline is computed from: discharge and placement.

    The referral, allocation and decisions are not boxes here: each is set by its own
    record (referrals, plans), so the record and the case cannot disagree."""

    planned_discharge_date = DateInputField(
        label="Planned date for the baby to leave hospital",
        error_label="planned discharge date",
        required=False,
        help_text="The discharge planning meeting is due by this date. For example, 12 6 2027",
    )
    discharge_date = DateInputField(
        label="Date the baby left hospital",
        error_label="date of discharge",
        required=False,
    )
    discharge_time = TimeOfDayField(
        label="Time the baby left hospital",
        error_label="time of discharge",
        required=False,
        help_text="For example, 14:30 or 2:30pm",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    placement = forms.ChoiceField(
        label="Where is the baby living after discharge?",
        choices=[("", "Not decided yet"), *Placement.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    placement_date = DateInputField(
        label="Date the placement began",
        error_label="date the placement began",
        required=False,
        help_text="Leave blank if it began when the baby left hospital",
    )

    # Children's social care's to record (cases.services.CSC_FACTS): shown to the other
    # agencies on the page, not as boxes they could change.
    CSC_FIELDS = ("placement", "placement_date")

    def __init__(self, *args, case, csc: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.csc = csc
        if not case.is_born:
            # Nothing to record before the birth: the page only shows the facts.
            self.fields.clear()
        if not csc:
            for name in self.CSC_FIELDS:
                self.fields.pop(name, None)

    @property
    def decisions(self) -> list[tuple[str, bool]]:
        """The decisions the timeline depends on, as (label, decided): shown, not boxes."""
        return [(label, getattr(self.case, name)) for name, label in DECISIONS]

    @classmethod
    def initial_for(cls, case) -> dict:
        initial = {
            "planned_discharge_date": case.planned_discharge_date,
            "placement": case.placement,
            "placement_date": case.placement_date,
        }
        if case.discharge:
            local = timezone.localtime(case.discharge)
            initial["discharge_date"] = local.date()
            initial["discharge_time"] = f"{local:%H:%M}"
        return initial

    # The facts' names (rules/facts.py) that are not this form's own.
    FORM_FIELD_FOR = {"discharge": "discharge_date"}

    def clean(self):
        cleaned = super().clean()
        if self.case.is_born:
            self._clean_discharge_moment(cleaned)
        if not self.errors:
            # Whether the facts could be true is decided in one place; this only puts each
            # problem against its box.
            for problem in fact_problems_after(self.case, self.facts()):
                name = self.FORM_FIELD_FOR.get(problem.field, problem.field)
                if name in self.fields:
                    self.add_error(
                        name, forms.ValidationError(problem.message, params={"part": None})
                    )
                else:
                    self.add_error(None, problem.message)
        return cleaned

    def _clean_discharge_moment(self, cleaned) -> None:
        """A discharge is a date and a time: both or neither."""
        discharge_date, discharge_time = (
            cleaned.get("discharge_date"),
            cleaned.get("discharge_time"),
        )
        if discharge_date and not discharge_time and "discharge_time" not in self.errors:
            self.add_error("discharge_time", "Enter the time the baby left hospital")
        if discharge_time and not discharge_date and "discharge_date" not in self.errors:
            self.add_error("discharge_date", forms.ValidationError(
                "Enter the date the baby left hospital", params={"part": None}))  # fmt: skip

    def facts(self) -> dict:
        """The facts this form changes: the ones it shows as boxes."""
        data = self.cleaned_data
        facts: dict = {}
        if self.case.is_born:
            discharge = None
            if data["discharge_date"] and data["discharge_time"]:
                discharge = datetime.combine(
                    data["discharge_date"], data["discharge_time"],
                    tzinfo=ZoneInfo(settings.TIME_ZONE),
                )  # fmt: skip
            facts.update(planned_discharge_date=data["planned_discharge_date"], discharge=discharge)
            if self.csc:
                facts.update(placement=data["placement"], placement_date=data["placement_date"])
        return facts


class _PersonChoices(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # A user id is a small whole number: anything else is refused before the database
        # is asked (SQLite overflows on 30 digits).
        for pk in value:
            if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        roles = ", ".join(sorted(role.name for role in obj.roles.all()))
        return f"{obj.get_full_name() or obj.username} ({roles})" if roles else str(obj)


class RestrictionForm(GovUKForm):
    users = _PersonChoices(
        label="Who may see the case",
        help_text="Only the people you choose will see the case. Everyone else, in this"
        " locality too, will not find it anywhere.",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person who may see the case"},
    )
    reason = forms.CharField(
        label="Why is the case restricted?",
        help_text="For example, the mother is a member of staff. Do not name her here.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why the case is restricted"},
    )
    lose_access = forms.BooleanField(
        label="I understand I will no longer see this case", required=False
    )

    def __init__(self, *args, people, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["users"].queryset = people.prefetch_related("roles")

    def clean(self):
        cleaned = super().clean()
        users = cleaned.get("users")
        if users is not None and self.actor not in users and not cleaned.get("lose_access"):
            self.add_error(
                "users",
                "Choose yourself too, or confirm below that you will no longer see this case",
            )
        return cleaned


class LiftRestrictionForm(GovUKForm):
    reason = forms.CharField(
        label="Why is the restriction being lifted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why the restriction is being lifted"},
    )
