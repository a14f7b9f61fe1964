"""The 30-day checkpoint goes by one name on every page: its milestone's title in the
protocol ("30-day checkpoint: …") on the timeline, the checkpoints task list and its own
page, and "30-day checkpoint" in the tracker's own sentences. Only the procedure's words,
quoted verbatim, say "30 day check point"."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from rules.protocol import load_protocol
from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from timeline.services import active_protocol

UNHYPHENATED = re.compile(r"\b\d+ day check ?point", re.IGNORECASE)


def test_the_protocols_own_words_use_the_titles_name():
    """`source` is the procedure verbatim; the tracker's titles and readings are ours."""
    for path in sorted(Path(settings.BASE_DIR, "protocols").glob("*.toml")):
        for rule in load_protocol(path).milestones:
            for text in (rule.title, rule.interpretation or ""):
                assert not UNHYPHENATED.search(text), (path.name, rule.id, text)


def test_the_task_list_the_checkpoint_page_and_the_timeline_agree(client, allocated, social_worker):
    title = active_protocol().milestone("checkpoint_30_day").title
    assert title.startswith("30-day checkpoint")
    client.force_login(social_worker)
    record_url = reverse("checkpoint_record", args=[allocated.id, "checkpoint_30_day"])

    task_list = client.get(reverse("checkpoint_list", args=[allocated.id])).content.decode()
    page = client.get(record_url).content.decode()
    timeline = client.get(reverse("case_timeline", args=[allocated.id])).content.decode()

    assert f'href="{record_url}"' in task_list and f">{title}</a>" in task_list
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in page
    assert f"<title>{title} – " in page
    assert f">{title}</a>" in timeline


def test_a_milestone_read_at_the_30_day_checkpoint_says_so_in_the_same_words(
    client, allocated, social_worker
):
    client.force_login(social_worker)
    page = client.get(reverse("milestone_record", args=[allocated.id, "genogram"]))
    text = page.content.decode()
    assert "At the 30-day checkpoint: the 30th working day" in text
    outside_quotes = text.replace(active_protocol().milestone("genogram").source, "")
    assert not UNHYPHENATED.search(outside_quotes)
