"""Every withdraw page asks the one question (web.forms.WithdrawForm): why, required, with
a GOV.UK error naming the record; a service's refusal lands against the box or at the top
(web.forms.show_refusal)."""

from django.core.exceptions import ValidationError

from web.forms import WithdrawForm, show_refusal

HINT = "For example, recorded on the wrong case"


def test_the_reason_is_required_with_an_error_naming_the_record():
    form = WithdrawForm({"reason": "   "}, subject="this visit", hint=HINT)

    assert not form.is_valid()
    assert form.errors["reason"] == ["Enter why this visit is being withdrawn"]
    assert form.fields["reason"].label == "Why is this visit being withdrawn?"
    assert form.fields["reason"].help_text == HINT
    assert form.error_summary() == [
        {"text": "Enter why this visit is being withdrawn", "href": "#id_reason"}
    ]


def test_a_reason_is_kept_as_typed_up_to_5000_characters():
    assert WithdrawForm({"reason": " Wrong case "}, subject="this record", hint=HINT).is_valid()
    assert WithdrawForm({"reason": "x" * 5000}, subject="this record", hint=HINT).is_valid()
    assert not WithdrawForm({"reason": "x" * 5001}, subject="this record", hint=HINT).is_valid()


def test_each_form_has_its_own_words():
    """The words are set on the form's own copy of the field, never on the class's."""
    visit = WithdrawForm(subject="this visit", hint=HINT)
    death = WithdrawForm(subject="the record of this death", hint="")

    assert visit.fields["reason"].label == "Why is this visit being withdrawn?"
    assert death.fields["reason"].error_messages["required"] == (
        "Enter why the record of this death is being withdrawn"
    )
    assert WithdrawForm.base_fields["reason"].label is None


def test_a_refusal_goes_against_the_reason_or_at_the_top():
    about_the_reason = WithdrawForm({"reason": "x"}, subject="this record", hint=HINT)
    about_the_record = WithdrawForm({"reason": "x"}, subject="this record", hint=HINT)
    assert about_the_reason.is_valid() and about_the_record.is_valid()

    show_refusal(about_the_reason, ValidationError({"reason": "Enter a fuller reason"}))
    show_refusal(about_the_record, ValidationError({"held_on": "Already withdrawn"}))

    assert about_the_reason.errors["reason"] == ["Enter a fuller reason"]
    assert about_the_record.non_field_errors() == ["Already withdrawn"]
