"""Stubs are generated from the reference solutions: each marked region becomes a NotImplementedError.

A solution marks what the learner writes with ``### BEGIN SOLUTION`` and ``### END SOLUTION``
lines; everything else (imports, signatures, docstrings, contract classes) is shared verbatim.
"""

from __future__ import annotations

from pathlib import Path

from grader.manifest import Kata

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


class StubError(ValueError):
    """A solution file's markers are malformed."""


def stub_line(kata: Kata, indent: str) -> str:
    return f'{indent}raise NotImplementedError("{kata.id}: your code goes here (see the docstring)")\n'


def make_stub(source: str, kata: Kata) -> str:
    out: list[str] = []
    inside = False
    regions = 0
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise StubError(f"{kata.id}: line {number}: {BEGIN} inside a region")
            inside = True
            regions += 1
            out.append(stub_line(kata, line[: len(line) - len(line.lstrip())]))
        elif marker == END:
            if not inside:
                raise StubError(f"{kata.id}: line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise StubError(f"{kata.id}: a region is never closed with {END}")
    if not regions:
        raise StubError(f"{kata.id}: the solution marks no region with {BEGIN}")
    return "".join(out)


def strip_markers(source: str) -> str:
    """The solution as a learner may see it once solved: markers removed."""
    return "".join(line for line in source.splitlines(keepends=True)
                   if line.strip() not in (BEGIN, END))


def expected_stubs(katas: list[Kata], solutions: Path) -> dict[Path, str]:
    return {kata.relative_file: make_stub((solutions / kata.relative_file).read_text(), kata)
            for kata in katas}


def drift(katas: list[Kata], solutions: Path, exercises: Path) -> list[Path]:
    """Stub files that differ from what their solutions generate."""
    return [relative for relative, text in expected_stubs(katas, solutions).items()
            if not (exercises / relative).is_file() or (exercises / relative).read_text() != text]


def write(katas: list[Kata], solutions: Path, exercises: Path) -> list[Path]:
    changed = drift(katas, solutions, exercises)
    for relative, text in expected_stubs(katas, solutions).items():
        if relative in changed:
            (exercises / relative).parent.mkdir(parents=True, exist_ok=True)
            (exercises / relative).write_text(text)
    return changed
