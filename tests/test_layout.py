"""The layout rules of CONTRIBUTING.md, checked: module and script sizes, public APIs, and no
stage importing another stage's private helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

STAGES = ("core", "ingest", "survey", "coding", "journeys", "costs", "report", "render")
MODULE_LIMIT = 500
SCRIPT_LIMIT = 40


def _modules():
    return sorted((REPO / "analysis").rglob("*.py"))


def test_analysis_is_one_subpackage_per_stage():
    found = {p.name for p in (REPO / "analysis").iterdir() if (p / "__init__.py").is_file()}
    assert found == set(STAGES)
    flat = [p.name for p in (REPO / "analysis").glob("*.py") if p.name != "__init__.py"]
    assert flat == [], f"modules outside a subpackage: {flat}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_module_exceeds_the_size_limit(path: Path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MODULE_LIMIT, f"{path.relative_to(REPO)} has {n} lines; split it by concept"


def test_workflow_scripts_are_thin():
    long = {
        p.name: n
        for p in (REPO / "workflow" / "scripts").glob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > SCRIPT_LIMIT
    }
    assert long == {}, f"scripts over {SCRIPT_LIMIT} lines: {long}"


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            for alias in node.names:
                yield node.module, alias.name


def test_no_stage_imports_a_private_helper_of_another_module():
    bad = []
    for path in [*_modules(), *(REPO / "workflow" / "scripts").glob("*.py")]:
        rel = path.relative_to(REPO)
        own_stage = rel.parts[1] if rel.parts[0] == "analysis" else None
        for module, name in _imports(path):
            parts = module.split(".")
            stage = parts[1] if len(parts) > 1 else None
            if name.startswith("_") and stage != own_stage:
                bad.append(f"{rel}: {module}.{name}")
            if name.startswith("_") and own_stage == "core" == False:
                bad.append(f"{rel}: {module}.{name}")
    assert bad == [], "private names imported across stages:\n" + "\n".join(bad)


@pytest.mark.parametrize("stage", STAGES)
def test_each_subpackage_re_exports_its_public_api(stage):
    """``__init__`` lists what it exports; every name in ``__all__`` exists."""
    import importlib

    pkg = importlib.import_module(f"analysis.{stage}")
    assert pkg.__doc__ and len(pkg.__doc__.strip()) > 40, f"analysis.{stage} needs a docstring"
    exported = getattr(pkg, "__all__", None)
    assert exported, f"analysis.{stage} has no __all__"
    missing = [n for n in exported if not hasattr(pkg, n)]
    assert missing == [], f"analysis.{stage}.__all__ names missing objects: {missing}"


def test_repository_cites_nothing_outside_itself():
    """Code, data, docs and tests cite docs/reference/, never files of a build machine."""
    bad = []
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO).as_posix()
        if not path.is_file() or rel.startswith((".git/", ".venv/", "results/", "logs/")):
            continue
        if path.suffix not in {".py", ".smk", ".md", ".csv", ".yaml", ".yml", ".qmd", ".toml"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        # (the prebuilt Quarto beside the repository, ../shared/tools/quarto, is a tool CI
        # installs, not a document: naming its install script is allowed)
        text = text.replace("../shared/tools/quarto", "")
        for needle in ("/work/", "shared/reference", "DESIGN.md", "../shared"):
            if needle in text and rel != "tests/test_layout.py":
                bad.append(f"{rel}: {needle}")
    assert bad == [], "\n".join(bad)
