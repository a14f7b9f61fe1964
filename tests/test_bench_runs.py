"""The benchmark stays runnable. It asserts nothing about speed: figures live in bench/."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_end_to_end_on_a_small_data_set(tmp_path):
    # A clean environment: the benchmark must not pick up the test run's database.
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TZ"}}
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--cases", "300", "--localities", "3", "--repeats", "2",
         "--load-users", "1,3", "--load-seconds", "1",
         "--var-dir", str(tmp_path / "bench"), "--output", str(tmp_path / "report.md")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-2000:]
    report = (tmp_path / "report.md").read_text()
    assert "300 synthetic cases" in report
    for page in (
        "my_work",
        "locality",
        "team",
        "case_list",
        "search_name",
        "search_nhs",
        "case_detail",
        "case_timeline",
        "meeting",
    ):
        assert f"| {page} |" in report
    assert "timelines a second" in report
    assert "## Database reads per page" in report
    # The load test ran against gunicorn in production settings, every request answered.
    load = report.split("## Load test", 1)[1]
    rows = [line.split(" | ") for line in load.splitlines() if line.startswith("| ")][1:4]
    assert [(row[0], row[1], row[6]) for row in rows] == [("| 1", "1", "0"), ("| 3", "1", "0"),
                                                          ("| 3", "2", "0")]  # fmt: skip
    assert all(float(row[2]) > 0 for row in rows)  # requests a second
