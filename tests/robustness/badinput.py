"""Bad inputs shared by the CLI and app tests: each case makes its path and names the
fragment the one-line message must hold."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

NOBODY = 65534
RUN_AS_NOBODY = Path(__file__).resolve().parent / "run_as_nobody.py"
BIG_BYTES = 50 * 1024 * 1024
BIG_TITLE = "A very long briefing"


def _missing(folder: Path) -> Path:
    return folder / "no-such-briefing.md"


def _empty_folder(folder: Path) -> Path:
    path = folder / "empty-folder"
    path.mkdir()
    return path


def _binary(folder: Path) -> Path:
    path = folder / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return path


def _invalid_utf8(folder: Path) -> Path:
    path = folder / "latin1.md"
    path.write_bytes(b"# Caf\xe9 talks\n\nThe minister said nothing.\n")  # 0xe9 at offset 5
    return path


def _empty_file(folder: Path) -> Path:
    path = folder / "empty.md"
    path.write_bytes(b"")
    return path


# case -> (make the path, fragments every message must hold: {path} is filled in)
BAD_IMPORTS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "missing path": (_missing, ("no such file or folder", "{path}")),
    "empty folder": (_empty_folder, ("no briefings (.md, .markdown, .txt) in folder", "{path}")),
    "binary file": (_binary, ("{path}", "binary file (NUL byte at offset 8)")),
    "invalid utf-8": (_invalid_utf8, ("{path}", "not valid UTF-8 (byte 0xe9 at offset 5)",
                                      "--encoding")),
    "empty file": (_empty_file, ("{path}", "empty file")),
}


def expected(case: str, path: Path) -> tuple[str, ...]:
    """The fragments the message about ``path`` must hold."""
    return tuple(f.format(path=path) for f in BAD_IMPORTS[case][1])


def write_big_briefing(path: Path, size: int = BIG_BYTES) -> Path:
    """A plain-text briefing of exactly ``size`` bytes: a title line, then paragraphs."""
    paragraph = ("The delegations met again on Thursday, and officials said that \"progress\" "
                 "was possible if the crossings reopened before the winter. ") * 8 + "\n\n"
    head = BIG_TITLE + "\n\n"
    body = size - len(head) - 1
    count, rest = divmod(body, len(paragraph))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        for _ in range(count // 64):
            fh.write(paragraph * 64)
        fh.write(paragraph * (count % 64))
        fh.write(paragraph[:rest] + "\n")
    return path


# --------------------------------------------------------------------------- permissions
# Tests run as root, who ignores file permissions: checks of a read-only location run as
# `nobody` (a child process, or the effective uid for the span of one call).


@contextmanager
def open_folder() -> Iterator[Path]:
    """A folder everyone may enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="bt-robust-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def as_nobody(argv: list[str]) -> list[str]:
    """The command line for ``briefing-tui ARGV`` run as `nobody` (see run_as_nobody.py)."""
    return [sys.executable, str(RUN_AS_NOBODY), *argv]


@contextmanager
def effective_nobody() -> Iterator[None]:
    """Act as `nobody` for file permissions inside the block (root can switch back)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
