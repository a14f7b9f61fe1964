"""A form that fails the form-security (CSRF) check gets a page that says what happened."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_stale_form_gets_a_govuk_page_with_the_way_back(strict_client, social_worker):
    strict_client.force_login(social_worker)
    form_page = "http://testserver" + reverse("case_register")

    response = strict_client.post(reverse("case_register"), {}, HTTP_REFERER=form_page)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Forbidden" not in page
    assert "govuk-template" in page and "OFFICIAL-SENSITIVE" in page
    assert '<h1 class="govuk-heading-l">What you entered was not saved</h1>' in page
    assert "the page was open for a long time" in page
    assert f'<a class="govuk-link" href="{form_page}">Go back to the page you were on</a>' in page
    # The page hands out a fresh token, so going back and sending again works.
    assert "csrftoken" in response.cookies


def test_the_way_back_never_leads_to_another_site(strict_client, social_worker):
    strict_client.force_login(social_worker)

    response = strict_client.post(
        reverse("case_register"), {}, HTTP_REFERER="https://evil.example/phish"
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "evil.example" not in page
    assert "Go back to the page you were on, reload it" in page
    assert f'href="{reverse("home")}">Go to the start</a>' in page


def test_someone_signed_out_is_offered_sign_in_back_to_the_page(strict_client, db):
    """A form left open while the session ended elsewhere: sign in, then back to it."""
    referer = "http://testserver/cases/new/?from=list"

    response = strict_client.post(reverse("case_register"), {}, HTTP_REFERER=referer)

    page = response.content.decode()
    assert response.status_code == 403
    assert "You are not signed in." in page
    assert 'href="/sign-in/?next=%2Fcases%2Fnew%2F%3Ffrom%3Dlist">Sign in</a>, and you' in page


def test_a_stale_sign_in_form_leads_back_to_the_sign_in_page(strict_client, db):
    referer = "http://testserver" + reverse("login") + "?next=/cases/"

    response = strict_client.post(
        reverse("login"), {"username": "priya", "password": "x"}, HTTP_REFERER=referer
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert f'href="{reverse("login")}?next=/cases/">Sign in</a>.</p>' in page


def test_other_refusals_keep_their_own_page(client, guest):
    """Only the CSRF failure changed: a role that may not register still gets 403 'You
    cannot do this'."""
    client.force_login(guest)

    response = client.post(reverse("case_register"), {})

    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
