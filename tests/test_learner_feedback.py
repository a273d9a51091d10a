"""A failing public test says what is wrong in a few lines: the test's own message (pytest's
introspection only with -v), the line of the learner's file that raised (never one inside torch),
and for a syntax error the line and a caret; a kata that does not import fails each of its tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import manifest
from grader.learner import public

from .conftest import EXERCISES

SUM_NOT_MEAN = """
import torch


def mse(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return ((y_pred - y) ** 2).sum()
"""

DEEP_ERROR = """
import torch


def _clear(t):
    return t.grad.zero_()


def mse(y_pred, y):
    return _clear(y_pred - y)
"""

UNCLOSED = """
import torch


def mse(y_pred, y):
    return ((y_pred - y) ** 2).mean(
"""


def learner_folder(root: Path, source: str) -> Path:
    topic = root / "exercises" / "02_losses"
    topic.mkdir(parents=True)
    shutil.copy(EXERCISES / "02_losses" / "test_mse.py", topic)
    (topic / "mse.py").write_text(source)
    return root


def run_pytest(root: Path, *extra: str) -> str:
    ran = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                          "-p", "grader.learner.feedback", "exercises", *extra],
                         cwd=root, capture_output=True, text=True, timeout=120)
    return ran.stdout + ran.stderr


def test_an_assertion_shows_its_message_and_no_introspection(tmp_path):
    out = run_pytest(learner_folder(tmp_path, SUM_NOT_MEAN))
    assert "Off by a factor of N = 4: take the mean, not the sum." in out
    assert "where" not in out and "allclose" not in out, out


def test_introspection_comes_back_with_v(tmp_path):
    out = run_pytest(learner_folder(tmp_path, SUM_NOT_MEAN), "-v")
    assert "where" in out, out


def test_an_error_points_at_the_learners_deepest_line(tmp_path):
    out = run_pytest(learner_folder(tmp_path, DEEP_ERROR))
    assert ("AttributeError: 'NoneType' object has no attribute 'zero_'\n"
            "  at exercises/02_losses/mse.py, line 6: return t.grad.zero_()") in out, out
    assert "_tensor.py" not in out and "site-packages" not in out, out


def test_a_syntax_error_shows_the_line_and_a_caret(tmp_path):
    out = run_pytest(learner_folder(tmp_path, UNCLOSED))
    code = "    return ((y_pred - y) ** 2).mean("
    caret = " " * code.rindex("(") + "^"  # under the bracket never closed
    headline = "SyntaxError: '(' was never closed (exercises/02_losses/mse.py, line 6)"
    assert f"{headline}\n{code}\n{caret}" in out, out


@pytest.mark.parametrize("source", [UNCLOSED, "raise RuntimeError('at import')\n"],
                         ids=["syntax-error", "raises-on-import"])
def test_a_kata_that_does_not_import_fails_each_of_its_tests(tmp_path, source):
    kata = manifest.load().kata("02_losses/mse")
    grade = public.grade(learner_folder(tmp_path, source), [kata])
    tests = grade.katas[0].tests
    names = (EXERCISES / kata.public_test).read_text().count("\ndef test_")
    assert len(tests) == names and all(test.status == "error" for test in tests), tests
    assert all("mse.py" in test.message for test in tests), tests[0].message


def test_a_katas_own_advice_wins_over_the_general_one(monkeypatch):
    """Once, the general entry for the same fragment silently replaced a kata's own advice."""
    from grader import diagnoses

    fragment = "must have the same dtype"
    monkeypatch.setitem(diagnoses.BY_KATA, "02_losses/mse", {fragment: "the kata's own words"})
    assert diagnoses.advice("02_losses/mse", "RuntimeError", f"x {fragment} y") == "the kata's own words"
    general = diagnoses.GENERAL[fragment]
    assert diagnoses.advice("02_losses/sqrt_loss", "RuntimeError", f"x {fragment} y") == general


def _leaf():
    import torch

    return torch.ones(2, requires_grad=True)


def _in_place():
    leaf = _leaf()
    leaf -= 1


def _backward_twice():
    loss = (_leaf() * 2).sum()
    loss.backward()
    loss.backward()


def _recurse(depth: int = 0) -> int:
    return _recurse(depth + 1)


def _torch_errors() -> dict:
    import torch

    return {  # the fragment of grader.diagnoses.GENERAL each must find -> what raises it in torch
        "leaf Variable that requires grad is being used in an in-place operation": _in_place,
        "does not require grad and does not have a grad_fn": lambda: torch.tensor(1.0).backward(),
        "'NoneType' object has no attribute 'zero_'": lambda: torch.ones(1).grad.zero_(),
        "backward through the graph a second time": _backward_twice,
        "grad can be implicitly created only for scalar outputs": lambda: (_leaf() * 2).backward(),
        "only one element tensors can be converted to Python scalars": lambda: float(torch.ones(2)),
        "Can't call numpy() on Tensor that requires grad": lambda: _leaf().numpy(),
        "must have the same dtype": lambda: torch.nn.Linear(2, 1)(torch.ones(1, 2, dtype=torch.float64)),
        "shapes cannot be multiplied": lambda: torch.ones(2, 3) @ torch.ones(2, 3),
        "must match the size of tensor b": lambda: torch.ones(2) + torch.ones(3),
        "maximum recursion depth exceeded": _recurse,
    }


@pytest.mark.parametrize("fragment", list(_torch_errors()))
def test_the_general_advice_matches_what_torch_really_raises(fragment):
    """Each advice is keyed on words torch (or Python) really says, in the pinned version."""
    from grader import diagnoses

    with pytest.raises(BaseException) as raised:
        _torch_errors()[fragment]()
    found = diagnoses.advice("", type(raised.value).__name__, str(raised.value))
    assert found == diagnoses.GENERAL[fragment], str(raised.value)
