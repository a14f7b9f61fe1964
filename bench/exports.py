"""Benchmark of the tracking meeting's exports: a 40-family record (Appendix 1) as Word
and as PDF, and the pack as PDF, each against a target of 2 seconds.

    .venv/bin/python bench/exports.py                 (40 families, 5 repeats)
    .venv/bin/python bench/exports.py --families 3 --repeats 1 --var-dir /tmp/x

It builds the meeting through the services (tests/meeting_fixtures.py: registered
families, recorded concerns, key points and actions, finalised with an addendum) in its
own database (var/bench-exports/ SQLite, or BENCH_DATABASE_URL, emptied first), then
times each export as a download makes it: the record gathered, the file built, the
export audited. The first PDF is timed apart: it loads the fonts.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import add_common_arguments, configure, timed  # noqa: E402  (bench/run.py: the same database set-up)

TARGET_SECONDS = 2.0


def bench(families: int, repeats: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings import exports
    from tests.meeting_fixtures import finalised_meeting

    built_seconds, built = timed(finalised_meeting, families=families)
    meeting, actor = built.meeting, built.operations_manager
    cold_pdf, _ = timed(exports.record_file, actor=actor, context=None, meeting=meeting,
                        fmt=exports.PDF)  # fmt: skip
    kinds = {
        "record, Word": lambda: exports.record_file(
            actor=actor, context=None, meeting=meeting, fmt=exports.DOCX
        ),
        "record, PDF": lambda: exports.record_file(
            actor=actor, context=None, meeting=meeting, fmt=exports.PDF
        ),
        "pack, PDF": lambda: exports.pack_file(actor=actor, context=None, meeting=meeting),
    }
    rows = []
    for name, export in kinds.items():
        seconds, cpu, sizes = [], [], []
        for _ in range(repeats):
            started = time.process_time()
            took, made = timed(export)
            cpu.append(time.process_time() - started)
            seconds.append(took)
            sizes.append(len(made.content))
        with CaptureQueriesContext(connection) as captured:
            export()
        rows.append({"export": name, "p50": statistics.median(seconds), "max": max(seconds),
                     "cpu": statistics.median(cpu), "bytes": sizes[-1],
                     "queries": len(captured)})  # fmt: skip
    return {"families": families, "built_seconds": built_seconds, "cold_pdf": cold_pdf,
            "rows": rows, "repeats": repeats, "load": os.getloadavg()[0]}  # fmt: skip


def report(result: dict) -> str:
    lines = [
        f"Tracking meeting exports: {result['families']} families, {result['repeats']} repeats"
        f" (meeting built in {result['built_seconds']:.1f} s). Database: "
        f"{os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}.",
        f"First PDF of the process (loads fonts): {result['cold_pdf']:.2f} s."
        f" Load average at the end: {result['load']:.1f} on {os.cpu_count()} cores (wall-clock"
        " figures grow with it; CPU seconds are this process's own work).",
        "",
        "| export | p50 s | max s | CPU p50 s | size KB | queries | target (p50) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        verdict = "met" if row["p50"] < TARGET_SECONDS else "MISSED"
        lines.append(
            f"| {row['export']} | {row['p50']:.2f} | {row['max']:.2f} | {row['cpu']:.2f}"
            f" | {row['bytes'] / 1024:.0f} | {row['queries']}"
            f" | < {TARGET_SECONDS:.0f} s {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    add_common_arguments(parser, "bench-exports")
    args = parser.parse_args(argv)
    configure(args)
    text = report(bench(args.families, args.repeats))
    print(text)
    if args.output:
        Path(args.output).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
