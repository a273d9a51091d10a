""""Without X" is checked where the grader can see it: the names a kata's file imports or uses
(read, never run), and the calls it makes while it runs, helper modules beside it included."""

from __future__ import annotations

import pytest

from grader.grading.names_used import names_used

from .conftest import build_submission

FORBIDDEN = ("torch.nn", "torch.nn.functional", "torch.logaddexp", "Tensor.logsumexp")

FOUND = {
    "an alias": ("import torch.nn.functional as F\nF.mse_loss(a, b)\n", ["torch.nn", "torch.nn"]),
    "a from-import": ("from torch.nn.functional import mse_loss as m\n", ["torch.nn"]),
    "the module from torch": ("from torch import nn\nnn.MSELoss()\n", ["torch.nn", "torch.nn"]),
    "a full path": ("import torch\ntorch.nn.functional.mse_loss(a, b)\n", ["torch.nn"]),
    "a function": ("import torch as t\nt.logaddexp(a, b)\n", ["torch.logaddexp"]),
    "a method": ("def f(z):\n    return z.logsumexp(1)\n", ["Tensor.logsumexp"]),
    "a name in a string": ("import torch\ngetattr(torch, 'logaddexp')(a, b)\n", ["torch.logaddexp"]),
    "a module path in a string": ("__import__('torch.nn.functional')\n", ["torch.nn"]),
}

ALLOWED = {
    "plain tensor operations": "import torch\n((a - b) ** 2).mean()\ntorch.mean(a)\n",
    "a docstring that names them": 'def mse(a, b):\n    """no torch.nn, no torch.nn.functional"""\n',
    "a module's last word in a string": "x = 'functional'\ny = 'nn'\n",
    "a local name like a module": "nn = 3\nnn + 1\n",
    "a file that does not parse": "def mse(:\n    F.mse_loss\n",
    "a string that happens to be a name": "def name():\n    return 'logaddexp'\n",
    # hostile files: read in the judge, they must cost it nothing and flag nothing
    "a deeply nested expression": "x = " + "-" * 200_000 + "1\n",
    "brackets beyond the parser's depth": "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "control characters": "x = 1\x1b[2J\x00\n",
}


@pytest.mark.parametrize("case", list(FOUND))
def test_a_forbidden_name_is_found_however_it_is_written(case):
    source, names = FOUND[case]
    assert [use.name for use in names_used(source.encode(), FORBIDDEN)] == names


@pytest.mark.parametrize("case", list(ALLOWED))
def test_what_is_allowed_is_not_flagged(case):
    assert names_used(ALLOWED[case].encode(), FORBIDDEN) == []


BY_A_HELPER = """
import torch
from losses_helper import loss


def mse(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return loss(y_pred, y)
"""

HELPER = """
import torch


def loss(a, b):
    module = __import__("torch").nn
    return getattr(module.functional, "mse" + "_loss")(a, b)
"""


def test_a_library_call_hidden_in_a_helper_module_is_seen_while_it_runs(engine, tmp_path):
    root = build_submission(tmp_path, {"02_losses/mse": BY_A_HELPER})
    (root / "exercises" / "02_losses" / "losses_helper.py").write_text(HELPER)
    kata = engine.grade(root, ["02_losses/mse"]).katas[0]
    failed = [test.message for test in kata.tests if test.status != "passed"]
    assert len(failed) == 1 and "mse(y_pred, y) called torch.nn.functional while it ran" in failed[0], failed


def test_the_watch_notes_calls_and_then_leaves_torch_as_it_was():
    import torch
    import torch.nn.functional as F

    from grader.sandbox.call_watch import watching

    before = (F.mse_loss, torch.logaddexp, torch.Tensor.logsumexp, dict(vars(torch.Tensor)))
    a = torch.ones(2, 3)
    with watching(["torch.nn.functional", "torch.logaddexp", "Tensor.logsumexp"]) as called:
        F.relu(a)
        a.logsumexp(1)
        a.sum()
    assert called == ["torch.nn.functional", "Tensor.logsumexp"]
    assert (F.mse_loss, torch.logaddexp, torch.Tensor.logsumexp, dict(vars(torch.Tensor))) == before
