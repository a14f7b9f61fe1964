"""The domain rules stay plain Python: no Django, so they can be read and reused alone."""

import ast
from pathlib import Path

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_no_module_in_rules_imports_django():
    offenders = []
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]

    assert list(RULES.glob("*.py"))
    assert offenders == []
