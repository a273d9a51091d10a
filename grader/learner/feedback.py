"""What a learner reads when a public test fails: the test's own message, the line of the kata
that raised (never a line inside torch or pytest), and for a syntax error the line and a caret.

A pytest plugin (``-p grader.learner.feedback``: the released repository's pytest settings load it,
and so do `grader check` and `grader watch`). pytest's assertion introspection ("+ where ...") and
full tracebacks come back with ``-v``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader import diagnoses
from grader.manifest import kata_id_of_test

INTROSPECTION = "\nassert "  # where pytest's explanation starts after an assertion's own message


def _is_test_file(path: Path) -> bool:
    return path.name.startswith("test_") or path.name == "conftest.py"


def learner_line(excinfo: pytest.ExceptionInfo, folder: Path) -> tuple[Path, int, str] | None:
    """The deepest frame in a learner's file beneath ``folder`` (a kata, or a module beside it)."""
    found = None
    for entry in excinfo.traceback:
        path = Path(entry.path)
        if path.is_relative_to(folder) and not _is_test_file(path):
            found = (path, entry.lineno + 1, str(entry.statement).strip().splitlines()[0:1])
    if found is None:
        return None
    path, line, statement = found
    return path, line, statement[0] if statement else ""


def message_of(error: BaseException) -> str:
    """An assertion's own message without pytest's explanation; other errors as Type: message."""
    if isinstance(error, AssertionError):
        text = str(error)
        own = text.split(INTROSPECTION, 1)[0].strip() if not text.startswith("assert ") else ""
        return own or "the test's check failed: run pytest -v to see the values it compared"
    return f"{type(error).__name__}: {error}"


def syntax_error_text(error: SyntaxError, shown: str) -> str:
    lines = [f"SyntaxError: {error.msg} ({shown}, line {error.lineno})"]
    if error.text:
        code = error.text.rstrip("\n")
        stripped = code.lstrip()
        lines.append(f"    {stripped}")
        if error.offset:
            lines.append("    " + " " * max(0, error.offset - 1 - (len(code) - len(stripped))) + "^")
    return "\n".join(lines)


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else path.name


def explain(excinfo: pytest.ExceptionInfo, folder: Path, root: Path, kata_id: str = "") -> str:
    """The whole failure in a few lines: message, then where in the learner's code."""
    error = excinfo.value
    cause = error if isinstance(error, SyntaxError) else getattr(error, "__cause__", None)
    if isinstance(cause, SyntaxError):
        return syntax_error_text(cause, _shown(Path(cause.filename or "?"), root))
    text = message_of(error)
    where = learner_line(excinfo, folder)
    if where is not None:
        path, line, statement = where
        text += f"\n  at {_shown(path, root)}, line {line}: {statement}"
    likely = None if isinstance(error, AssertionError) else diagnoses.advice(
        kata_id, type(error).__name__, str(error))
    return text + (f"\n  likely: {likely}" if likely else "")


def _terse(config: pytest.Config) -> bool:
    return config.getoption("verbose") < 1


def _folder_of(test_file: Path) -> Path:
    """The exercises folder: a public test sits in <exercises>/<topic>/."""
    return test_file.parent.parent


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and call.excinfo is not None and _terse(item.config):
        folder = _folder_of(Path(item.path))
        report.longrepr = explain(call.excinfo, folder, folder.parent, kata_id_of_test(Path(item.path)))
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    report = yield
    if not (report.failed and isinstance(collector, pytest.Module) and _terse(collector.config)):
        return report
    call = getattr(report, "call", None)  # pytest keeps the collection's CallInfo on its report
    excinfo = getattr(call, "excinfo", None)
    if excinfo is not None:
        folder = _folder_of(Path(collector.path))
        report.longrepr = explain(excinfo, folder, folder.parent)
    return report


def test_names(test_file: Path) -> list[str]:
    """The test functions a public test file defines, read without importing it: when the kata
    does not import, each of them counts as failed (so the count of tests stays true)."""
    try:
        tree = ast.parse(test_file.read_text())
    except (OSError, SyntaxError, ValueError):
        return []
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]
