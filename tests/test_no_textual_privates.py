"""The package uses Textual's public API only: no call, access or override of a name that
one of Textual's classes defines with a leading underscore.

Textual's private names are collected by introspection: every class of every ``textual``
module, its own attributes (``vars``, ``__slots__``) and the ``self._name`` attributes its
methods set or read (instance attributes, which ``vars`` does not show). Then, in
``briefing_tui``:

- a class that subclasses a Textual class may not define (``def _name``, ``_name =``) or
  use (``self._name``) a private name of the Textual classes in its MRO, nor define a
  method in Textual's private handler slots (``_on_*``, ``_watch_*``, ...);
- ``x._name`` on any other object may not be a private name of the Textual classes the
  module imports, or of ``App``, ``Screen`` and ``Widget`` (which every Textual object
  leads to) — a module that imports no Textual class (all of ``core/``) has none;
- nothing is imported from a private Textual module or by a private name.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import io
import pkgutil
import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import textual
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

PACKAGE = Path(__file__).resolve().parents[1] / "briefing_tui"

ALLOWED: dict[str, set[str]] = {}
"""Known uses still to remove, by file. Keep it empty: a new entry needs a reason."""


HANDLER_PREFIXES = ("_on_", "_watch_", "_validate_", "_compute_", "_reactive_", "_default_")
"""Private names Textual looks up by prefix (message_pump.py, reactive.py): its own classes'
handlers and reactive machinery. Ours are ``on_*``, ``watch_*``, ``validate_*``,
``compute_*``."""


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _textual_modules() -> Iterator[object]:
    yield textual
    for info in pkgutil.walk_packages(textual.__path__, "textual."):
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # textual._sleep prints
                module = importlib.import_module(info.name)
        except ImportError:  # the Windows drivers, on other systems
            continue
        yield module


def _self_attributes(tree: ast.AST) -> dict[str, set[str]]:
    """``self._name`` attributes used in each class of a module, by qualified class name."""
    found: dict[str, set[str]] = {}

    def visit(node: ast.AST, qualname: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{qualname}.{child.name}" if qualname else child.name)
                continue
            if (qualname and isinstance(child, ast.Attribute) and _is_private(child.attr)
                    and isinstance(child.value, ast.Name) and child.value.id == "self"):
                found.setdefault(qualname, set()).add(child.attr)
            visit(child, qualname)

    visit(tree, None)
    return found


@cache
def textual_private_names() -> dict[type, frozenset[str]]:
    """Every Textual class and the private names it defines itself."""
    names: dict[type, frozenset[str]] = {}
    for module in _textual_modules():
        try:
            tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
        except (OSError, TypeError):
            tree = ast.Module(body=[], type_ignores=[])
        used = _self_attributes(tree)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:  # type: ignore[attr-defined]
                continue  # imported here: collected with its own module
            own = {name for name in vars(cls) if _is_private(name)}
            slots = vars(cls).get("__slots__", ())
            own |= {name for name in ([slots] if isinstance(slots, str) else slots)
                    if _is_private(name)}
            names[cls] = frozenset(own | used.get(cls.__qualname__, set()))
    return names


def _private_names_of(cls: type) -> frozenset[str]:
    """Private names of the Textual classes in ``cls``'s MRO (empty: not a Textual class)."""
    table = textual_private_names()
    return frozenset().union(*(table.get(base, ()) for base in cls.__mro__))


@dataclass(frozen=True)
class Finding:
    """A use of a Textual private name: where, what, and how."""

    path: str
    line: int
    name: str
    how: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.how} {self.name}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _reachable_names(module: object) -> frozenset[str]:
    """Private names of the Textual objects a module can hold: the Textual classes it
    imports, and the app, screens and widgets any Textual object leads to."""
    table = textual_private_names()
    imported = []
    for value in vars(module).values():
        if isinstance(value, type) and value in table:
            imported.append(value)
        elif inspect.ismodule(value) and value.__name__.split(".")[0] == "textual":
            imported.extend(cls for _, cls in inspect.getmembers(value, inspect.isclass)
                            if cls in table)
    if not imported:  # a module that imports no Textual class (all of core/)
        return frozenset()
    return frozenset().union(*map(_private_names_of, [*imported, App, Screen, Widget]))


def scan_source(source: str, module: object, path: str) -> list[Finding]:
    """Uses of Textual private names in one module's source (``module`` is it imported)."""
    reachable = _reachable_names(module)
    findings: list[Finding] = []

    def textual_class(qualname: str) -> type | None:
        target: object = module
        for part in qualname.split("."):
            target = getattr(target, part, None)
        return target if isinstance(target, type) else None

    def visit(node: ast.AST, qualname: str | None, names: frozenset[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                inner = f"{qualname}.{child.name}" if qualname else child.name
                cls = textual_class(inner)
                own = _private_names_of(cls) if cls is not None else frozenset()
                for item in child.body:
                    defined = []
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        defined = [item.name]
                    elif isinstance(item, ast.Assign):
                        defined = [t.id for t in item.targets if isinstance(t, ast.Name)]
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        defined = [item.target.id]
                    findings.extend(Finding(path, item.lineno, name, "overrides")
                                    for name in defined if name in own)
                    if own:  # Textual dispatches these private names on its own
                        findings.extend(Finding(path, item.lineno, name, "defines a handler")
                                        for name in defined
                                        if name.startswith(HANDLER_PREFIXES))
                visit(child, inner, own)
                continue
            if isinstance(child, ast.Attribute) and _is_private(child.attr):
                on_self = isinstance(child.value, ast.Name) and child.value.id == "self"
                if child.attr in (names if on_self else reachable):
                    findings.append(Finding(path, child.lineno, child.attr, "uses"))
            elif isinstance(child, ast.ImportFrom) and child.module and \
                    child.module.split(".")[0] == "textual":
                if any(_is_private(part) for part in child.module.split(".")[1:]):
                    findings.append(Finding(path, child.lineno, child.module, "imports"))
                findings.extend(Finding(path, child.lineno, f"{child.module}.{alias.name}",
                                        "imports")
                                for alias in child.names if _is_private(alias.name))
            elif isinstance(child, ast.Import):
                findings.extend(Finding(path, child.lineno, alias.name, "imports")
                                for alias in child.names
                                if alias.name.startswith("textual.")
                                and any(_is_private(p) for p in alias.name.split(".")[1:]))
            visit(child, qualname, names)

    visit(ast.parse(source), None, frozenset())
    return findings


def scan_package() -> list[Finding]:
    """Every use of a Textual private name in ``briefing_tui``, less the allowed ones."""
    findings = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        module = importlib.import_module(_module_name(path))
        for finding in scan_source(path.read_text(encoding="utf-8"), module, relative):
            if finding.name not in ALLOWED.get(relative, ()):
                findings.append(finding)
    return findings


def test_the_package_uses_no_textual_private_name() -> None:
    findings = scan_package()
    assert not findings, "Textual private names in use:\n" + "\n".join(map(str, findings))


def scan_snippet(source: str) -> list[str]:
    """Findings (``how name``) in a module made of ``source``."""
    module = types.ModuleType("snippet")
    exec(compile(source, "snippet.py", "exec"), module.__dict__)  # noqa: S102 - our own text
    return [f"{f.how} {f.name}" for f in scan_source(source, module, "snippet.py")]


def test_the_scan_finds_calls_overrides_handlers_and_foreign_reads() -> None:
    source = """
from textual import events
from textual.app import App
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual._types import CallbackType
from textual.widget import _BorderTitle

class View(ScrollView):
    def sync(self, size: Size) -> None:
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)

    async def _on_click(self, event: events.Click) -> None:
        pass

    def _watch_cursor(self) -> None:
        pass

def shown(app: App) -> list[str]:
    return [note.message for note in app._notifications]
"""
    assert sorted(scan_snippet(source)) == sorted([
        "uses _scroll_update", "overrides _on_click", "defines a handler _on_click",
        "defines a handler _watch_cursor", "uses _notifications", "imports textual._types",
        "imports textual.widget._BorderTitle",
    ])


def test_the_scan_leaves_our_own_private_names_alone() -> None:
    source = """
from textual.scroll_view import ScrollView

class View(ScrollView):
    def __init__(self) -> None:
        super().__init__()
        self._cursor = 0
        self._strips = {}

    def _commit(self) -> None:
        self._cursor += 1

    def on_click(self) -> None:
        self.scroll_to(y=self._cursor, animate=False)

class Plain:
    def _scroll_update(self) -> None:  # not a Textual class: its own name
        self._size = 1
"""
    assert scan_snippet(source) == []
