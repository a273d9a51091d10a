"""The contract's published numbers for topics 05, 10 and 11, and the self-checks of their hidden
suites' references, checked once here rather than whenever a grader collects the suites."""

from __future__ import annotations

import math

import torch

from grader.grading import cases
from grader.suites.shared import classification_judge as judge
from grader.suites.shared import fit_loops
from grader.suites.shared import networks_value as nv

from .conftest import hidden_suite

# ---------------------------------------------------------------- 05_loops


def test_05_loops_seed_numbers():
    """Seed data, lr 0.01: losses[0] = 30, w after one epoch = 0.3, w → 2; 100 epochs (the hidden
    suites' convergence check) leave 2e-7, a half-size gradient 8e-4 (above its 1e-4)."""
    X, y = fit_loops.SEED
    w, losses = fit_loops.run(X, y, 0.01, 1)
    assert losses == [30.0] and abs(w - 0.3) < 1e-15
    w, losses = fit_loops.run(X, y, 0.01, 100)
    assert abs(w - 2.0) < 2e-7 and losses[-1] < 1e-12
    slow, _ = fit_loops.run(X, y, 0.01, 100, grad_scale=0.5)
    assert abs(slow - 2.0) > 1e-4


# ---------------------------------------------------------------- 10_classification


def agree(a: torch.Tensor, b: torch.Tensor) -> bool:
    return bool(torch.allclose(a, b, rtol=1e-10, atol=1e-12))


def test_10_references_agree_with_the_closed_forms():
    """torch's functions, the suites' references, and the contract's closed forms agree."""
    z = cases.randn(1001, 6, 4, scale=4.0)
    y = (cases.uniform(1002, 6, 4) > 0).double()
    assert agree(judge.bce_reference(z, y), judge.bce_closed_form(z, y))
    big = torch.tensor([1e4, 1e4, -1e4, -1e4, 0.0], dtype=torch.float64)
    labels = torch.tensor([1.0, 0.0, 1.0, 0.0, 0.5], dtype=torch.float64)
    assert agree(judge.bce_reference(big, labels), judge.bce_closed_form(big, labels))
    target = torch.tensor([0, 3, 1, 1, 2, 3])
    assert agree(judge.ce_reference(z, target), judge.ce_closed_form(z, target))
    assert agree(judge.ce_grad_reference(z, target), judge.ce_grad_closed_form(z, target))
    X, w, b = cases.randn(1003, 6, 3), cases.randn(1004, 3), cases.randn(1005)
    for a, c in zip(judge.logistic_grad_reference(X, y[:, 0], w, b),
                    judge.logistic_grad_closed_form(X, y[:, 0], w, b), strict=True):
        assert agree(a, c)


def test_10_logistic_fit_seed_gives_the_published_fit():
    """Hours data, lr 0.5: losses[0] = ln 2; 2000 epochs give b = −4.0777, w = [1.5046],
    losses[−1] = 0.401494: the reference the hidden suite compares every learner's run with."""
    hidden = hidden_suite("10_classification/logistic_fit")
    w, b, losses = hidden.SEED_REF
    assert len(losses) == hidden.SEED_EPOCHS == 2000
    assert abs(losses[0] - math.log(2)) < 1e-15
    assert abs(b - -4.0777) < 1e-4 and abs(w[0] - 1.5046) < 1e-4
    assert abs(losses[-1] - 0.401494) < 1e-6
    assert hidden.SEED_SHORT_REF[2] == losses[:hidden.SHORT]


# ---------------------------------------------------------------- 11_networks


def test_11_fit_xor_seed_gives_the_published_numbers():
    """manual_seed(0), 2-8-1 ReLU network, lr 0.5: losses[0] = 0.706034, losses[1] = 0.699964,
    losses[−1] = 0.0043 < 0.01 after 500 epochs; a zero nn.Linear(2, 1) keeps every loss at ln 2."""
    hidden = hidden_suite("11_networks/fit_xor")
    assert [round(v, 6) for v in hidden.SEED_2.losses] == [0.706034, 0.699964]
    assert hidden.SEED_500.losses[:2] == hidden.SEED_2.losses
    assert round(hidden.SEED_500.losses[-1], 4) == 0.0043 < 0.01
    assert all(abs(v - math.log(2)) < 1e-7 for v in hidden.ZERO_20.losses)


def test_11_fit_xor_reference_follows_torch():
    """The judge's float64 reference (numpy, by hand) and the contract's loop in torch (the
    learner's, in the model's dtype) agree within the tolerances the suite grades with."""
    hidden = hidden_suite("11_networks/fit_xor")
    runs = {hidden.SEED_2: None, hidden.SEED_500: 1e-3, hidden.ZERO_20: None, hidden.TANH_64: None,
            hidden.RELU_4: 1e-3}
    for run, rtol in runs.items():
        losses, params = hidden.train(run.spec, run.X, run.y, run.lr, run.epochs)
        dtype = run.X.dtype
        assert hidden.checks.close(losses, run.losses, dtype, rtol=rtol / 10 if rtol else None)
        assert params.keys() == run.params.keys()
        for name, value in params.items():
            assert value.dtype == run.params[name].dtype
            assert hidden.checks.close(value, run.params[name], dtype, rtol=rtol / 10 if rtol else None)


def test_11_backprop_cases_hold_what_their_tests_say():
    """The chain rule written out (which replays the classic mistakes) agrees with autograd, and
    the integer cases have pre-activations of exactly 0."""
    hidden = hidden_suite("11_networks/backprop")
    every = [*hidden.RANDOM_CASES.values(), hidden.SQUARE, *hidden.ZEROS.values(), hidden.ALL_OFF]
    for case in every:
        by_hand = hidden.by_formula(*case.inputs)
        assert all(torch.allclose(a, b.to(a.dtype)) for a, b in zip(case.expected, by_hand, strict=True))
    for case in hidden.ZEROS.values():
        X, _, W1, b1, _, _ = case.inputs
        assert int((X @ W1.T + b1 == 0).sum()) >= 4


def test_11_value_chain_reference_is_torch_step_by_step():
    """A chain step's reference (one node) has the data and grads of the chain built one torch
    node per step."""
    program = [["leaf", 0.5], ["chain", 0, 301, 0.0001, 1.0001], ["mul_c", 1, 2.0]]
    one_node = nv.reference(program)
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    value = x
    for j in range(301):
        value = value + 0.0001 if j % 2 == 0 else value * 1.0001
    value.retain_grad()
    out = value * 2.0
    out.backward()
    assert one_node.data == [0.5, value.item(), out.item()]
    assert one_node.grad == [x.grad.item(), value.grad.item(), 1.0]
