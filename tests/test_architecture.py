"""Imports run one way (DESIGN.md): core imports none of our apps; workshops none of the other
four; wages imports workshops; catalogue and compliance import workshops and wages; brand all.
Inside every app, operations never import its screens (views, admin, forms, hooks)."""

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


# Inside an app, operations (the rules and what changes records) never import the screens that call
# them: a module is part of the interface when its name, or a package on its path, is one of these.
INTERFACE = {
    "admin",
    "admin_forms",
    "admin_views",
    "forms",
    "panels",
    "reports",
    "templatetags",
    "urls",
    "views",
    "viewsets",
    "wagtail_hooks",
    "widgets",
}
NOT_OPERATIONS = INTERFACE | {"migrations", "management", "demo", "tests"}
# Wagtail's page models name their editing form (``base_form_class``): the one allowed exception.
BASE_FORM_CLASSES = {"brand/models/pages.py": {"brand.forms", "brand.forms.StoryPageForm"}}


def module_parts(path: Path, root: Path = ROOT) -> tuple[str, ...]:
    return path.relative_to(root).with_suffix("").parts


def is_interface(parts: tuple[str, ...]) -> bool:
    return any(part in INTERFACE or part.endswith(("_views", "_admin")) for part in parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_parts(path, root)[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in OURS}


def operation_modules(root: Path = ROOT):
    for app in sorted(OURS):
        for path in sorted((root / app).rglob("*.py")):
            parts = module_parts(path, root)
            if not any(
                part in NOT_OPERATIONS or part.endswith(("_views", "_admin")) for part in parts
            ):
                yield path


def test_operations_never_import_views_or_admin():
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in operation_modules()
        for module in sorted(imported_modules(path))
        if is_interface(tuple(module.split(".")))
        and module not in BASE_FORM_CLASSES.get(str(path.relative_to(ROOT)), ())
    ]
    assert offences == []


def test_the_checker_catches_an_operation_importing_a_view(tmp_path):
    package = tmp_path / "wages" / "payruns"
    package.mkdir(parents=True)
    module = package / "operations.py"
    module.write_text("from .views import approve_view\nfrom wages.ledger import admin\n")
    (package / "views.py").write_text("from .operations import approve\n")

    assert {
        name for name in imported_modules(module, tmp_path) if is_interface(tuple(name.split(".")))
    } == {"wages.payruns.views", "wages.payruns.views.approve_view", "wages.ledger.admin"}
    assert list(operation_modules(tmp_path)) == [module]
