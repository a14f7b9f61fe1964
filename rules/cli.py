"""`manage.py timeline FACTS.json`: the timeline contract on the command line."""

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from rules.contract import FactsError, facts_from_json, timeline_to_json
from rules.protocol import Protocol, default_protocol
from rules.timeline import compute_timeline

EXIT_BAD_INPUT = 2


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
        stderr.write("usage: timeline FACTS.json (or - for standard input)\n")
        return EXIT_BAD_INPUT
    source = argv[0]
    try:
        text = (stdin or sys.stdin).read() if source == "-" else Path(source).read_text("utf-8")
    except OSError as error:
        stderr.write(f"error: {source}: cannot read: {error.strerror or error}\n")
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        stderr.write(f"error: {source}: not valid JSON: not UTF-8 text\n")
        return EXIT_BAD_INPUT
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        stderr.write(f"error: {source}: not valid JSON: {error}\n")
        return EXIT_BAD_INPUT
    except RecursionError:
        stderr.write(f"error: {source}: not valid JSON: nested too deeply\n")
        return EXIT_BAD_INPUT
    except ValueError:  # a number of more than 4,300 digits
        stderr.write(f"error: {source}: not valid JSON: a number is too long\n")
        return EXIT_BAD_INPUT
    protocol = protocol or default_protocol()
    try:
        facts = facts_from_json(data, protocol, default_today=today)
    except FactsError as error:
        stderr.write(f"error: {error.field}: {error.message}\n")
        return EXIT_BAD_INPUT
    # One write: a Django command's stdout ends every write with a newline.
    stdout.write(json.dumps(timeline_to_json(compute_timeline(facts, protocol)), indent=2) + "\n")
    return 0
