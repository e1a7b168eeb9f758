"""The import contracts of pyproject.toml hold, and would catch a break; every third-party
package the code imports is declared (the app's in ``dependencies``, the tests' and
benchmarks' there or in the ``test`` extra)."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
FIRST_PARTY = {"briefing_tui", "benchmarks", "tests", "conftest"}


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the venv's ``lint-imports`` in ``folder``: it reads the contracts from the
    ``pyproject.toml`` there and the ``briefing_tui`` package found first from there
    (import-linter puts the working folder first on the import path)."""
    script = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert script, "lint-imports missing: install the test extra (pip install -e '.[test]')"
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([script, "--no-cache"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_core_module_importing_textual_breaks_the_core_contract(tmp_path: Path) -> None:
    shutil.copytree(REPO / "briefing_tui", tmp_path / "briefing_tui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    spans = tmp_path / "briefing_tui" / "core" / "spans.py"
    spans.write_text(spans.read_text(encoding="utf-8") + "\nimport textual  # noqa\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "briefing_tui.core.spans -> textual" in result.stdout
    assert "1 broken" in result.stdout


def _top_level_imports(path: Path) -> set[str]:
    """The top-level names of the absolute imports in one source file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _third_party(folders: list[str]) -> dict[str, set[str]]:
    """Each third-party top-level module imported under ``folders`` -> the files."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.py")):
            for name in _top_level_imports(path) - FIRST_PARTY:
                if name not in sys.stdlib_module_names:
                    found.setdefault(name, set()).add(str(path.relative_to(REPO)))
    return found


def _declared(requirements: list[str]) -> set[str]:
    """Normalised distribution names of PEP 508 requirement strings."""
    return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", r).group()).lower()
            for r in requirements}


def _undeclared(modules: dict[str, set[str]], declared: set[str]) -> list[str]:
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for module, files in sorted(modules.items()):
        dists = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [])}
        if not dists & declared:
            missing.append(f"{module} ({sorted(dists) or 'not installed'}) in {sorted(files)}")
    return missing


@pytest.mark.parametrize(("folders", "extras"), [
    # the app: its dependencies, and its optional extra `team` (krippendorff: imported on
    # use, guarded, see core/agreement.py)
    (["briefing_tui"], ["team"]),
    (["tests", "benchmarks", "docs"], ["test"]),  # the rest may use the test extra too
])
def test_every_imported_package_is_declared(folders: list[str], extras: list[str]) -> None:
    project = PYPROJECT["project"]
    declared = _declared(project["dependencies"])
    for extra in extras:
        declared |= _declared(project["optional-dependencies"][extra])
    modules = _third_party(folders)
    assert "textual" in modules or folders != ["briefing_tui"]  # the walk finds imports
    assert _undeclared(modules, declared) == []
