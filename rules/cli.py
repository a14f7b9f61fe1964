"""`manage.py timeline FACTS.json`: the timeline contract on the command line."""

import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from rules.contract import FactsError, facts_from_json, timeline_to_json
from rules.protocol import Protocol
from rules.timeline import compute_timeline

EXIT_BAD_INPUT = 2


def main(
    argv: list[str], *, protocol: Protocol, today: date, stdout: TextIO, stderr: TextIO
) -> int:
    if len(argv) != 1:
        stderr.write("usage: timeline FACTS.json (or - for standard input)\n")
        return EXIT_BAD_INPUT
    source = argv[0]
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text()
    except OSError as error:
        stderr.write(f"error: {source}: cannot read: {error.strerror}\n")
        return EXIT_BAD_INPUT
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        stderr.write(f"error: {source}: not valid JSON: {error}\n")
        return EXIT_BAD_INPUT
    try:
        facts = facts_from_json(data, protocol, default_today=today)
    except FactsError as error:
        stderr.write(f"error: {error.field}: {error.message}\n")
        return EXIT_BAD_INPUT
    # One write: a Django command's stdout ends every write with a newline.
    stdout.write(json.dumps(timeline_to_json(compute_timeline(facts, protocol)), indent=2) + "\n")
    return 0
