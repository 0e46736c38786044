"""Imports run one way (DESIGN.md): core imports none of our apps; workshops none of the other
four; wages imports workshops; catalogue and compliance import workshops and wages; brand all."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"core", "brand", "workshops", "wages", "catalogue", "compliance"}
ALLOWED = {
    "core": set(),
    "workshops": {"core"},
    "wages": {"core", "workshops"},
    "catalogue": {"core", "workshops", "wages"},
    "compliance": {"core", "workshops", "wages"},
    "brand": OURS - {"brand"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & OURS


def string_references(path: Path) -> set[str]:
    """Lazy references such as ForeignKey("wages.Account") count as imports too."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            head, _, tail = node.value.partition(".")
            if head in OURS and tail[:1].isupper():
                found.add(head)
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_what_the_design_allows(app):
    offences = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for other in (imported_apps(path) | string_references(path)) - {app} - ALLOWED[app]:
            offences.append(f"{path.relative_to(ROOT)} imports {other}")
    assert offences == []


def test_the_checker_catches_a_forbidden_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from wages.ledger import post_journal\nX = 'catalogue.Order'\n")

    assert imported_apps(module) == {"wages"}
    assert string_references(module) == {"catalogue"}
