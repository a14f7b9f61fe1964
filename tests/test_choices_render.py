"""Every multiple-choice question is GOV.UK checkboxes, every single choice in a change
form radios (or a select for a long list of people), and each shows what is stored."""

import re

import pytest
from django import forms
from django.urls import reverse

from tests.formcrawl import forms_on

PAGES = ("case_details_change", "case_facts_change", "outcome_record", "partner_add")


def _inputs(html: str, name: str) -> list[tuple[str, bool]]:
    """(type, checked) of every <input name=...> on the page."""
    found = []
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="{name}"' in tag:
            kind = re.search(r'type="([a-z]+)"', tag)[1]
            found.append((kind, " checked" in tag))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_each_choice_renders_as_its_govuk_component(client, social_worker, make_case, page):
    case = make_case(social_worker, csc_input="child_protection", named_social_worker=social_worker)
    client.force_login(social_worker)

    response = client.get(reverse(page, args=[case.id]))
    form = response.context["form"]
    html = response.content.decode()

    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(field, forms.MultipleChoiceField):
            assert isinstance(widget, forms.CheckboxSelectMultiple), name
            assert {kind for kind, _ in _inputs(html, name)} == {"checkbox"}, name
        elif isinstance(widget, forms.RadioSelect):
            assert {kind for kind, _ in _inputs(html, name)} == {"radio"}, name
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            raise AssertionError(f"{page}: {name} is a single choice that is not radios")


def test_stored_decisions_and_level_are_shown_ticked(client, social_worker, make_case):
    case = make_case(social_worker, csc_input="child_protection")
    from cases import services

    services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=case.identified_date,
        complex=True, significant_harm=True,
    )  # fmt: skip
    client.force_login(social_worker)

    facts = client.get(reverse("case_facts_change", args=[case.id])).content.decode()
    details = client.get(reverse("case_details_change", args=[case.id])).content.decode()

    # The facts page shows the decisions (each changed on its own record), not boxes.
    assert not [f for f in forms_on(facts) if f.method == "post" and f.visible]
    shown = dict(re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>', facts, re.S))  # fmt: skip
    assert shown["The case is complex (Safeguarding Children&#x27;s Team)"] == "Yes"
    assert shown["The unborn baby is at risk of significant harm"] == "Yes"
    assert shown["The case needs the Becoming Looked After panel"] == "No"
    (form,) = [f for f in forms_on(details) if f.method == "post" and f.visible]
    assert dict(form.fields)["csc_input"] == "child_protection"
    assert dict(form.fields)["locality"] == str(case.locality_id)
