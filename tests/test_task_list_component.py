"""One GOV.UK task list item (templates/components/task_list_item.html) for every task
list: the assessment's areas, the checkpoints, birth and after."""

from django.template.loader import render_to_string


def item(**context) -> str:
    return render_to_string("components/task_list_item.html", {"task_id": "task-x", **context})


def test_a_task_the_user_may_do_is_a_link_described_by_its_hint_and_status():
    html = item(name="Visit schedule", url="/somewhere/", hint="Agreed 9 June 2027.",
                status="Agreed")  # fmt: skip

    assert "govuk-task-list__item--with-link" in html
    assert 'href="/somewhere/" aria-describedby="task-x-hint task-x-status">Visit schedule</a>' in (
        html
    )
    assert '<div id="task-x-hint" class="govuk-task-list__hint">Agreed 9 June 2027.</div>' in html
    assert 'id="task-x-status">Agreed</div>' in html


def test_without_a_link_the_name_is_text_and_a_hint_that_repeats_it_is_left_out():
    html = item(name="Preparation for the birth", url="", hint="Preparation for the birth",
                status="Not needed")  # fmt: skip

    assert "--with-link" not in html and "<a " not in html
    assert "<div>Preparation for the birth</div>" in html
    assert "task-x-hint" not in html


def test_a_linked_task_without_a_hint_is_described_by_its_status_alone():
    html = item(name="Accommodation", url="/area/", hint="Accommodation", status="Completed")

    assert 'aria-describedby="task-x-status"' in html


def test_a_task_that_cannot_start_yet_is_greyed_and_its_status_can_be_a_template():
    html = item(name="10-day checkpoint", cannot_start=True,
                status_template="checkpoints/_task_status.html",
                task={"started": False, "status_label": "Cannot start yet"})  # fmt: skip

    assert "govuk-task-list__status--cannot-start-yet" in html
    assert "Cannot start yet" in html
