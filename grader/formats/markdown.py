"""Learner text in Markdown as data: a code span or a fenced block that shows it as it is, so
nothing a learner wrote is read as Markdown, HTML, a link or a mention (GitHub's renderers)."""

from __future__ import annotations

import re


def _fence(text: str, mark: str, least: int) -> str:
    """A fence longer than any run of ``mark`` in ``text``: nothing inside can close it."""
    return mark * max(least, max(map(len, re.findall(f"{re.escape(mark)}+", text)), default=0) + 1)


def code(text: str) -> str:
    """Text as a code span for a table cell. Its backtick fence is longer than any run of backticks
    inside, so nothing inside closes it, and a pipe is escaped (GitHub splits table cells on pipes
    even inside code); line breaks become spaces (a cell is one line)."""
    text = " ".join(text.splitlines())
    if not text.strip():
        return ""
    fence = _fence(text, "`", 1)
    # a space keeps a backtick at either end apart from the fence; Markdown drops one each side
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    escaped = text.replace("|", "\\|")
    return f"{fence}{pad}{escaped}{pad}{fence}"


def block(text: str, info: str = "text") -> str:
    """Text as a fenced code block, shown line by line as it is."""
    fence = _fence(text, "`", 3)
    return f"{fence}{info}\n{text}\n{fence}"
