"""Quote selectors and re-anchoring of highlights when a briefing's text changes.

A highlight is stored with its exact quote and up to ``CONTEXT`` characters of
prefix and suffix (the W3C TextQuoteSelector), so it can be found again.
"""

from __future__ import annotations

CONTEXT = 32


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """Return ``(exact, prefix, suffix)`` for ``text[start:end]``.

    >>> quote_selector("abc def ghi", 4, 7, context=2)
    ('def', 'c ', ' g')
    """
    return text[start:end], text[max(0, start - context):start], text[end:end + context]
