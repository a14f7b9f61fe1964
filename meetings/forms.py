"""Forms for tracking meetings. Each re-shows what was typed, with GOV.UK errors."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from accounts.models import AgencyCode, Locality, RoleCode
from cases.models import CscInput
from meetings.models import Action, ActionStatus, Attendance, MeetingKind, Theme
from meetings.services import OWNER_AGENCIES, REASON_REQUIRED, DiscussionRecord
from rules.series import MAX_MEETINGS_IN_SERIES
from web.forms import DateInputField, GovUKForm, TimeOfDayField, version_missing

MEMBER_ROLES = (RoleCode.OPERATIONS_MANAGER, RoleCode.NAMED_MIDWIFE, RoleCode.NAMED_PHN,
                RoleCode.GUEST)  # fmt: skip


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{obj.get_full_name() or obj.username}, {obj.job_title}" if obj.job_title else str(obj)
        )


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{obj.get_full_name() or obj.username}, {obj.job_title}" if obj.job_title else str(obj)
        )


def _people(roles, locality_ids):
    return (
        get_user_model()
        .objects.filter(is_active=True, roles__code__in=roles, localities__in=locality_ids)
        .distinct()
        .order_by("last_name", "first_name")
    )


class MeetingScheduleForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Which meeting",
        choices=[
            (MeetingKind.TRACKING, "Pre-birth tracking meeting"),
            (MeetingKind.LIAISON, "Pre-birth liaison meeting with the specialist midwives"),
        ],
        initial=MeetingKind.TRACKING,
        widget=forms.RadioSelect,
        help_text="A liaison meeting looks at pregnancies not yet referred, late referrals and"
        " referred cases whose plans are not progressing",
        error_messages={"required": "Select which meeting"},
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the locality"},
    )
    date = DateInputField(
        label="Date of the meeting",
        error_label="date of the meeting",
        help_text="For example, 10 6 2027",
    )
    start_time = TimeOfDayField(
        label="Start time",
        error_label="start time",
        help_text="For example, 10am or 14:30",
        error_messages={"required": "Enter the start time"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    end_time = TimeOfDayField(
        label="End time",
        error_label="end time",
        error_messages={"required": "Enter the end time"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    venue = forms.CharField(label="Venue (optional)", required=False, max_length=200)
    online_link = forms.URLField(
        label="Online meeting link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example, the Teams meeting link",
        error_messages={"invalid": "Enter the link like https://teams.microsoft.com/…"},
    )
    chair = PersonChoiceField(
        label="Chair",
        queryset=get_user_model().objects.none(),
        help_text="The Named Midwife for Safeguarding or deputy",
        error_messages={"required": "Select the chair"},
    )
    members = PeopleChoiceField(
        label="Who to invite",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The CSC operations manager, the Named PHN and any guests, or their deputies",
    )
    repeat = forms.TypedChoiceField(
        label="How many monthly meetings to schedule",
        choices=[(n, str(n)) for n in range(1, MAX_MEETINGS_IN_SERIES + 1)],
        coerce=int,
        initial=1,
        help_text="More than one schedules a monthly series on the same weekday of the month",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        localities = Locality.objects.filter(pk__in=user.locality_ids, active=True)
        self.fields["locality"].queryset = localities
        if len(localities) == 1 and not self.is_bound:
            self.initial.setdefault("locality", localities[0].pk)
        self.fields["chair"].queryset = _people([RoleCode.NAMED_MIDWIFE], user.locality_ids)
        self.initial.setdefault("chair", user.pk)
        self.fields["members"].queryset = _people(MEMBER_ROLES, user.locality_ids)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        day = data.get("date")
        if day and day < timezone.localdate():
            self.add_error("date", "The date of the meeting must be today or in the future")
        if not (data.get("venue", "").strip() or data.get("online_link")) and not (
            {"venue", "online_link"} & set(self.errors)
        ):
            self.add_error("venue", "Enter a venue or an online meeting link")
        return data


class ReasonForm(GovUKForm):
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )


class CohortAddForm(ReasonForm):
    reference = forms.CharField(
        label="Case reference",
        max_length=12,
        help_text="For example, PB-7QQ4DG",
        error_messages={"required": "Enter the case reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    field_order = ["reference", "reason"]

    def clean_reference(self):
        text = self.cleaned_data["reference"].strip().upper().replace(" ", "")
        return text if text.startswith("PB-") else f"PB-{text}"


class AttendanceForm(GovUKForm):
    """One pair of fields per member: how they took part, and their deputy's name."""

    CHOICES = [(value, label) for value, label in Attendance.choices if value]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"attendance_{member.pk}"] = forms.ChoiceField(
                label=f"{member.user.get_full_name() or member.user}, {member.get_role_display()}",
                choices=self.CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"deputy_{member.pk}"] = forms.CharField(
                label="Deputy's name",
                required=False,
                max_length=150,
            )
            self.initial.setdefault(f"attendance_{member.pk}", member.attendance)
            self.initial.setdefault(f"deputy_{member.pk}", member.deputy_name)

    def clean(self):
        data = super().clean()
        for member in self.members:
            if (
                data.get(f"attendance_{member.pk}") == "deputy"
                and not data.get(f"deputy_{member.pk}", "").strip()
            ):
                self.add_error(f"deputy_{member.pk}", "Enter the name of the deputy who came")
        return data

    def rows(self):
        return [(m, self[f"attendance_{m.pk}"], self[f"deputy_{m.pk}"]) for m in self.members]

    def attendance(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            m.pk: (data.get(f"attendance_{m.pk}") or "", data.get(f"deputy_{m.pk}") or "")
            for m in self.members
        }


class FamilyChoices:
    """The choices every family's form offers, read once for the whole page (a form per
    family must not query per family)."""

    def __init__(self, locality_id: int):
        not_owners = ("partnership_analyst", "system_administrator", "guest")
        roles = [code for code in RoleCode.values if code not in not_owners]
        self.owners = list(
            _people(roles, [locality_id])
            .filter(agency__code__in=OWNER_AGENCIES)
            .annotate(agency_code=F("agency__code"))
        )
        self._by_pk = {str(user.pk): user for user in self.owners}
        self.themes = list(Theme.objects.all())

    @staticmethod
    def label(user) -> str:
        agency = AgencyCode(user.agency_code).label
        return f"{user.get_full_name() or user.username} ({agency})"

    def owner(self, pk):
        return self._by_pk.get(str(pk)) if pk else None


class FamilyForm(GovUKForm):
    """What the meeting records about one family; prefixed by the family's place in the
    cohort, so one page holds every family and saving one never loses another's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    current_concerns = forms.CharField(
        label="Current concerns",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    key_points = forms.CharField(
        label="Key points of discussion",
        required=False,
        max_length=10000,
        help_text="One point on each line: they become the bullet points of the case note",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    threshold_notes = forms.CharField(
        label="Threshold for assessment",
        required=False,
        max_length=5000,
        help_text="What the meeting said about whether the threshold for a pre-birth assessment"
        " is met",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    level_of_csc_input = forms.ChoiceField(
        label="Level of CSC input",
        choices=CscInput.choices,
        help_text="As the meeting confirmed it",
        error_messages={"required": "Select the level of CSC input"},
    )
    themes = forms.MultipleChoiceField(
        label="Themes", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_themes = forms.CharField(label="Other themes (optional)", required=False, max_length=300)
    # A new action agreed for this family.
    action_description = forms.CharField(
        label="Action", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_agency = forms.ChoiceField(
        label="Agency",
        required=False,
        choices=[("", "Select the agency")]
        + [(code, AgencyCode(code).label) for code in OWNER_AGENCIES],
    )
    action_owner = forms.ChoiceField(label="Owner (optional)", required=False)
    action_due = DateInputField(
        label="Timeframe", error_label="timeframe of the action", required=False,
        help_text="The date it should be done by",
    )  # fmt: skip

    def __init__(self, *args, discussion, choices: "FamilyChoices", actions=(),
                 supervision=None, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.choices = choices
        # The last supervision of each agency's practitioner on this baby (ToR 3.6).
        self.supervision = supervision or {}
        for code in OWNER_AGENCIES:
            self.fields[f"supervision_{code}"] = DateInputField(
                label=AgencyCode(code).label,
                error_label=f"date of the {AgencyCode(code).label} practitioner's supervision",
                required=False,
            )
            self.initial.setdefault(f"supervision_{code}", self.supervision.get(code))
        self.discussion = discussion
        chosen = [t.pk for t in discussion.chosen_themes]
        self.fields["themes"].choices = [
            (str(theme.pk), theme.name)
            for theme in choices.themes
            if theme.active or theme.pk in chosen
        ]
        self.fields["action_owner"].choices = [("", "Not named")] + [
            (str(user.pk), choices.label(user)) for user in choices.owners
        ]
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"status_{action.pk.hex}"] = forms.ChoiceField(
                label="Status", choices=ActionStatus.choices, required=False
            )
            self.initial.setdefault(f"status_{action.pk.hex}", action.status)
        if not self.is_bound:
            self.initial.update(
                version=discussion.version,
                current_concerns=discussion.current_concerns,
                key_points=discussion.key_points,
                level_of_csc_input=discussion.level_of_csc_input or discussion.case.csc_input,
                themes=[str(pk) for pk in chosen],
                other_themes=discussion.other_themes,
                threshold_notes=discussion.threshold_notes,
            )

    def clean(self):
        data = super().clean()
        if data.get("version") is None and "version" not in self.errors:
            self.add_error(None, version_missing())  # a change meanwhile would go unseen
        wanted = ("action_description", "action_agency", "action_due")
        if any(data.get(name) for name in (*wanted, "action_owner")):
            messages = {
                "action_description": "Enter the action",
                "action_agency": "Select the agency that owns the action",
                "action_due": "Enter the timeframe of the action",
            }
            for name in wanted:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, messages[name])
            owner = self.choices.owner(data.get("action_owner"))
            agency = data.get("action_agency")
            if owner is not None and agency and owner.agency_code != agency:
                self.add_error("action_owner", "Select an owner from the agency named")
        for code in OWNER_AGENCIES:
            day = data.get(f"supervision_{code}")
            if day is not None and day > timezone.localdate():
                self.add_error(f"supervision_{code}", "The date of supervision must be today or"
                               " in the past")  # fmt: skip
        return data

    def record(self) -> DiscussionRecord:
        data = self.cleaned_data
        return DiscussionRecord(
            current_concerns=data["current_concerns"],
            key_points=data["key_points"],
            level_of_csc_input=data["level_of_csc_input"],
            themes=frozenset(int(pk) for pk in data["themes"]),
            other_themes=data["other_themes"],
            threshold_notes=data["threshold_notes"]
            if self.discussion.meeting.kind == MeetingKind.LIAISON
            else self.discussion.threshold_notes,
        )

    def new_action(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("action_description"):
            return None
        return {
            "description": data["action_description"],
            "owner_agency": data["action_agency"],
            "owner": self.choices.owner(data.get("action_owner")),
            "due_date": data["action_due"],
        }

    def status_changes(self) -> list[tuple[Action, str]]:
        return [
            (action, self.cleaned_data[f"status_{action.pk.hex}"])
            for action in self.actions
            if self.cleaned_data.get(f"status_{action.pk.hex}")
            and self.cleaned_data[f"status_{action.pk.hex}"] != action.status
        ]

    def supervision_changes(self) -> dict[str, object]:
        """Agency → a newly given date of supervision (not the one already recorded)."""
        changes = {}
        for code in OWNER_AGENCIES:
            day = self.cleaned_data.get(f"supervision_{code}")
            if day is not None and day != self.supervision.get(code):
                changes[code] = day
        return changes

    def supervision_fields(self):
        return [self[f"supervision_{code}"] for code in OWNER_AGENCIES]

    def status_fields(self):
        return [(action, self[f"status_{action.pk.hex}"]) for action in self.actions]


class AddendumForm(ReasonForm):
    text = forms.CharField(
        label="Correction",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the correction"},
    )
    family = forms.ChoiceField(
        label="Which family it corrects",
        required=False,
        choices=[("", "The meeting as a whole")],
    )
    field_order = ["family", "text", "reason"]
