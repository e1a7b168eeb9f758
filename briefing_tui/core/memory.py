"""Giving freed memory back to the system (glibc's ``malloc_trim``; elsewhere nothing).

glibc keeps freed blocks in its heaps for reuse, and once a big block has been freed it
serves blocks of up to 32 MB from the heaps too: after a big file's parse or layout has
been built, tens of MB stay with the process, unused, and the copies SQLite makes next
come on top of them. A big import trims at those points (a few ms).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any

__all__ = ["release_freed_memory"]


def release_freed_memory() -> None:
    """Return the allocator's free pages to the system (glibc only; elsewhere a no-op)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    if sys.platform != "linux":
        return None
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim  # glibc only: musl has none
    except (OSError, AttributeError):
        return None
