"""`manage.py timeline FACTS.json` and `manage.py cohort FACTS.json`: the contracts on
the command line."""

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from rules.cohort import cohort_decision
from rules.contract import (
    FactsError,
    cohort_from_json,
    cohort_to_json,
    facts_from_json,
    timeline_to_json,
)
from rules.protocol import Protocol, default_protocol
from rules.timeline import compute_timeline

EXIT_BAD_INPUT = 2


def read_json(source: str, stdin: TextIO | None = None) -> Any:
    """The JSON in the file `source` ("-": standard input), or FactsError naming `source`
    when it cannot be read or is not JSON."""
    try:
        text = (stdin or sys.stdin).read() if source == "-" else Path(source).read_text("utf-8")
    except OSError as error:
        raise FactsError(source, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise FactsError(source, "not valid JSON: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FactsError(source, f"not valid JSON: {error}") from None
    except RecursionError:
        raise FactsError(source, "not valid JSON: nested too deeply") from None
    except ValueError:  # a number of more than 4,300 digits
        raise FactsError(source, "not valid JSON: a number is too long") from None


def _refused(stderr: TextIO, error: FactsError) -> int:
    stderr.write(f"error: {error.field}: {error.message}\n")
    return EXIT_BAD_INPUT


def _usage(stderr: TextIO, command: str) -> int:
    stderr.write(f"usage: {command} FACTS.json (or - for standard input)\n")
    return EXIT_BAD_INPUT


def _print_json(stdout: TextIO, data: dict[str, Any]) -> int:
    # One write: a Django command's stdout ends every write with a newline.
    stdout.write(json.dumps(data, indent=2) + "\n")
    return 0


def main(
    argv: list[str],
    stdout: TextIO,
    stderr: TextIO,
    today: date | datetime,
    *,
    protocol: Protocol | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Print the timeline for the facts in argv[0] ("-": standard input); 0, or 2 on bad input.

    `today` (a date, or a naive London date and time when hours matter) is used when
    the facts give none; `protocol` defaults to the default protocol.
    """
    if len(argv) != 1:
        return _usage(stderr, "timeline")
    protocol = protocol or default_protocol()
    try:
        facts = facts_from_json(read_json(argv[0], stdin), protocol, default_today=today)
    except FactsError as error:
        return _refused(stderr, error)
    return _print_json(stdout, timeline_to_json(compute_timeline(facts, protocol)))


def cohort_main(
    argv: list[str],
    stdout: TextIO,
    stderr: TextIO,
    *,
    protocol: Protocol | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Print whether the facts in argv[0] ("-": standard input) are in the cohort of the
    tracking meeting on their `meeting_date`, and why; 0, or 2 on bad input. No clock:
    the facts are as of the meeting's day unless they give `today`."""
    if len(argv) != 1:
        return _usage(stderr, "cohort")
    protocol = protocol or default_protocol()
    try:
        facts, level, meeting_date = cohort_from_json(read_json(argv[0], stdin), protocol)
    except FactsError as error:
        return _refused(stderr, error)
    decision = cohort_decision(facts, level, meeting_date, protocol=protocol)
    return _print_json(stdout, cohort_to_json(decision))
