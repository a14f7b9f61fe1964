"""The protocol a deployment points at: read once, reloaded when its file changes, and
its bank holidays are the ones every working-day sum uses, dashboards included."""

import os
import shutil
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases import services as case_services
from rules import protocol as protocol_module
from rules.protocol import PROTOCOLS_DIR
from timeline import services
from timeline.models import CaseMilestone

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def protocol_path(tmp_path, settings):
    path = tmp_path / "local.toml"
    shutil.copy(PROTOCOLS_DIR / "default.toml", path)
    settings.PREBIRTH_PROTOCOL = str(path)
    return path


def rewrite(path, old: str, new: str) -> None:
    """Change the file, and make sure its modification time moves as an edit's would."""
    before = path.stat().st_mtime_ns
    path.write_text(path.read_text().replace(old, new, 1))
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_a_protocol_file_is_read_once_while_it_does_not_change(protocol_path, monkeypatch):
    loads = []
    real = protocol_module.load_protocol
    monkeypatch.setattr(protocol_module, "load_protocol",
                        lambda path: loads.append(path) or real(path))  # fmt: skip

    first = services.active_protocol()
    for _ in range(5):
        assert services.active_protocol() is first

    assert len(loads) == 1


def test_a_changed_protocol_file_is_picked_up_without_a_restart(protocol_path):
    assert services.active_protocol().version == "1.0.0"

    rewrite(protocol_path, 'version = "1.0.0"', 'version = "1.0.1"')

    assert services.active_protocol().version == "1.0.1"
    assert services.active_protocol() is services.active_protocol()


def test_a_change_of_size_alone_is_a_change(protocol_path):
    first = services.active_protocol()
    stamp = protocol_path.stat().st_mtime_ns
    protocol_path.write_text(protocol_path.read_text().replace('"1.0.0"', '"1.0.0-local"', 1))
    os.utime(protocol_path, ns=(stamp, stamp))  # same modification time, different size

    assert services.active_protocol() is not first
    assert services.active_protocol().version == "1.0.0-local"


def test_a_protocol_file_that_becomes_broken_is_refused_not_half_read(protocol_path):
    from rules.protocol import ProtocolError

    services.active_protocol()
    rewrite(protocol_path, 'bank_holidays = "ENG"', 'bank_holidays = "XXX"')

    with pytest.raises(ProtocolError, match="bank_holidays"):
        services.active_protocol()


# Allocated Wednesday 23 December 2026, the introductory visit is due 10 working days
# later. In England that is Monday 11 January 2027; in Scotland, where Monday 4 January
# is a bank holiday too (2 January fell on a Saturday), Tuesday 12 January.


def test_the_dashboards_count_working_days_with_the_protocols_bank_holidays(
    client, protocol_path, named_midwife, social_worker, make_case
):
    rewrite(protocol_path, 'bank_holidays = "ENG"', 'bank_holidays = "SCT"')
    with time_machine.travel(datetime(2026, 12, 23, 9, tzinfo=LONDON), tick=False):
        case = make_case(named_midwife, edd=date(2027, 6, 10), named_social_worker=social_worker)
        case_services.case_facts_update(
            actor=social_worker, context=None, case=case, referral_date=date(2026, 12, 22),
            allocation_date=date(2026, 12, 23),
        )  # fmt: skip

    row = CaseMilestone.objects.get(case=case, milestone_id="intro_home_visit")
    assert row.due_date == date(2027, 1, 12)
    assert row.warning_from == date(2027, 1, 5)  # 5 Scottish working days ahead
    with time_machine.travel(datetime(2027, 1, 12, 9, tzinfo=LONDON), tick=False):
        client.force_login(social_worker)
        listed = {r.milestone_id: r.status_now for r in
                  client.get(reverse("my_work")).context["page_obj"]}  # fmt: skip
        [shown] = client.get(reverse("locality")).context["page_obj"]
    assert listed["intro_home_visit"] == "due_soon"  # in England it would be a day overdue
    overdue = {m for m, status in listed.items() if status == "overdue"}
    assert shown.overdue_count == len(overdue)
    assert "intro_home_visit" not in overdue
