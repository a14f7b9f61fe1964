"""Form building blocks that follow the GOV.UK Design System patterns.

Every form in the service inherits GovUKForm so its errors reach the error
summary with links to the right input, and uses DateInputField for dates (the
day / month / year pattern), which re-shows exactly what was typed on error.
"""

import re
from datetime import date, time

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from accounts.backends import THROTTLED
from rules.dates import DatePartsError, parse_date_parts
from rules.text import clean_text

DATE_PARTS = ("day", "month", "year")


class DateInputWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__(
            widgets=[
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
            ],
            attrs=attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return list(value)
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{part}", "").strip() for part in DATE_PARTS]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in DATE_PARTS)


class DateInputField(forms.Field):
    """A GOV.UK date input. `label` is used inside error messages ("date of birth")."""

    widget = DateInputWidget

    def __init__(self, *, error_label: str, **kwargs):
        self.error_label = error_label
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = list(value) if value else ["", "", ""]
        if not any(parts):
            if self.required:
                raise ValidationError(
                    f"Enter the {self.error_label}", code="required", params={"part": None}
                )
            return None
        try:
            return parse_date_parts(*parts, label=self.error_label)
        except DatePartsError as error:
            raise ValidationError(
                str(error), code="invalid", params={"part": error.field}
            ) from None

    def validate(self, value):
        # Emptiness is handled in to_python with a date-specific message.
        pass


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


class TimeOfDayField(forms.CharField):
    """A time typed as 14:30, 2:30pm or 9am."""

    def __init__(self, *, error_label: str, **kwargs):
        self.error_label = error_label
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        match = _TIME.match(text)
        if not match:
            raise ValidationError(f"Enter the {self.error_label} like 14:30 or 2:30pm")
        hour, minute, meridiem = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if meridiem:
            if not 1 <= hour <= 12:
                raise ValidationError(f"Enter the {self.error_label} like 14:30 or 2:30pm")
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"Enter a real {self.error_label}")
        return time(hour, minute)


class GovUKErrorsMixin:
    """Errors as a GOV.UK error summary: one link per problem, to the input at fault."""

    def error_summary(self) -> list[dict[str, str]]:
        items = []
        for message in self.non_field_errors():
            items.append({"text": message, "href": "#main-content"})
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            href = f"#{bound.auto_id}"
            if isinstance(field, DateInputField):
                part = _first_error_part(self.errors.as_data()[name]) or "day"
                href = f"#{bound.auto_id}_{part}"
            elif isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                href = f"#{bound.auto_id}_0"
            for message in self.errors[name]:
                items.append({"text": message, "href": href})
        return items

    def date_error_part(self, name: str) -> str | None:
        if name not in self.errors:
            return None
        return _first_error_part(self.errors.as_data()[name])


def _first_error_part(errors: list[ValidationError]) -> str | None:
    for error in errors:
        params = error.params or {}
        if "part" in params:
            return params["part"]
    return None


class GovUKForm(GovUKErrorsMixin, forms.Form):
    def full_clean(self):
        if self.is_bound:
            self.data = self._typed_text_cleaned()
        super().full_clean()

    def _typed_text_cleaned(self):
        """The submitted data with NUL and control characters taken out of typed text
        (line breaks kept in a box of several lines), before it is checked or stored.
        Other inputs are left as sent, so a date part or a choice with them is refused."""
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not isinstance(field, forms.CharField) or key not in data:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            cleaned = [clean_text(v, multiline=multiline) if isinstance(v, str) else v
                       for v in values]  # fmt: skip
            if hasattr(data, "setlist"):
                data.setlist(key, cleaned)
            else:
                data[key] = cleaned[-1]
        return data


def show_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal in the error summary: against the box it names, else at the top,
    so what was typed is kept and the user is told what to change."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# The error codes after which a change page carries the record's version as it is now:
# the user has been shown that it moved on (changed meanwhile), or their page named none.
CHANGED_MEANWHILE = "changed_meanwhile"
VERSION_MISSING = "version_missing"


def names_version(request, form: forms.BaseForm, *, expected: bool = True) -> bool:
    """Whether the POST names the version of the record its change page was shown with.
    Without it a change someone saved meanwhile could not be caught, so one that names
    none (a page kept from before, a script) is refused on the form, nothing saved.
    `expected=False` when there was no record yet to have a version (a first plan)."""
    if request.POST.get("version", "").strip() or not expected:
        return True
    form.add_error(None, version_missing())
    return False


def version_missing() -> ValidationError:
    return ValidationError(
        "This page did not say which version of the record it was showing, so changes"
        " made by someone else since could not be checked. Nothing has been saved:"
        " check what is shown now, then save again.",
        code=VERSION_MISSING,
    )


def seen_version(request) -> str | None:
    """The version the change page was shown with (None: there was no record yet)."""
    return request.POST.get("version", "").strip() or None


def version_to_show(request, form: forms.BaseForm, current, *, told: bool = False) -> str:
    """The version a change page carries: the record's when first shown, and once the user
    has been told it moved on (`told`, or the form's error says so) or that their page
    named none; otherwise the one first shown, so a change made while they correct a
    mistake is still caught."""
    told = (
        told
        or form.is_bound
        and any(
            form.has_error(NON_FIELD_ERRORS, code) for code in (CHANGED_MEANWHILE, VERSION_MISSING)
        )
    )
    if request.method != "POST" or told:
        return "" if current is None else str(current)
    return request.POST.get("version", "")


class DateRangeFilterForm(GovUKForm):
    """A filter by a range of days, either end optional ("From", "To"): a log's or a
    history's. `valid_parts()` gives what was asked less any bad date, which the page
    shows as an error beside what it lists."""

    since = DateInputField(
        label="From",
        error_label="date to show from",
        required=False,
        help_text="For example, 27 3 2027",
    )
    until = DateInputField(
        label="To",
        error_label="date to show up to",
        required=False,
        help_text="For example, 30 4 2027",
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error(
                "until", "The date to show up to must be the same as or after the date to show from"
            )
        return cleaned

    def valid_parts(self) -> dict:
        """The cleaned values of the boxes that were valid (none when not asked)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class WithdrawForm(GovUKForm):
    """Why a record made in error is withdrawn (every withdraw page's one box): required.
    `subject` names the record as the question does, "this visit"; `hint` gives an example."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, subject: str, hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = f"Why is {subject} being withdrawn?"
        reason.help_text = hint
        reason.error_messages = {
            **reason.error_messages,
            "required": f"Enter why {subject} is being withdrawn",
        }


class SignInForm(GovUKErrorsMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your system administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"spellcheck": "false"})
        self.fields["username"].widget.attrs.pop("autofocus", None)
        # A NUL is refused in clean() with the message for any wrong sign-in, not its own.
        for name in ("username", "password"):
            self.fields[name].validators = [
                v for v in self.fields[name].validators
                if not isinstance(v, ProhibitNullCharactersValidator)
            ]  # fmt: skip

    def clean(self):
        """A username no account can have (too long, or with control characters) or a
        password with NUL is a wrong sign-in like any other, refused before it is looked
        up: the database and the lockout records refuse such text."""
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            impossible = (
                len(username) > self.fields["username"].max_length
                or clean_text(username) != username
                or "\x00" in password
            )
            if impossible:
                raise self.get_invalid_login_error()
        return super().clean()

    def get_invalid_login_error(self):
        if getattr(self.request, THROTTLED, False):
            # Said plainly, whoever is asking: it tells an attacker nothing they did not do.
            return ValidationError(
                "There have been too many failed attempts to sign in from your network or to"
                " this account. Wait %(minutes)s minutes and try again, or ask your system"
                " administrator.",
                code="throttled",
                params={"minutes": settings.SIGN_IN_THROTTLE_MINUTES},
            )
        return super().get_invalid_login_error()


class ChangePasswordForm(GovUKErrorsMixin, PasswordChangeForm):
    """A signed-in person changes their own password, giving the current one."""

    error_messages = {
        "password_incorrect": "Your current password is not right. Enter it again",
        "password_mismatch": "The new passwords do not match. Enter the same password twice",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["old_password"].label = "Current password"
        fields["new_password1"].label = "New password"
        fields["new_password2"].label = "Enter the new password again"
        fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, not all numbers and not like your"
            " name or username"
        )
        fields["new_password2"].help_text = ""
        for name, message in (
            ("old_password", "Enter your current password"),
            ("new_password1", "Enter a new password"),
            ("new_password2", "Enter the new password again"),
        ):
            fields[name].error_messages["required"] = message
            fields[name].widget.attrs.pop("autofocus", None)


class SignInCodeForm(GovUKErrorsMixin, forms.Form):
    """The second step of signing in (and of setting up an authenticator app)."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        error_messages={"required": "Enter the code", "max_length": "Enter the code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.help_text = (
                "The 6-digit code your authenticator app shows now, or one of your recovery codes"
            )
            field.error_messages["required"] = "Enter the code from your authenticator app"
        else:
            field.label = "Code from the app"
            field.help_text = "The 6-digit code the app shows after you add the service"
            field.error_messages["required"] = "Enter the 6-digit code from the app"
            field.widget.attrs["inputmode"] = "numeric"
