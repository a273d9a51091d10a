"""The judge's own references for topics 01, 02, 04 and 14, checked once here instead of in every
grade: the closed forms of the hidden suites against central differences, and the numbers the
contract publishes (a seed's result) against the references the suites grade with."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from grader.grading import checks
from grader.sandbox.scenarios.topic_14 import batch_rows

from .conftest import hidden_suite

derivative = hidden_suite("01_autograd/derivative")
vjp = hidden_suite("01_autograd/vjp")
accumulation = hidden_suite("01_autograd/accumulation")


# ---------------------------------------------------------------- closed forms


def slope_cases() -> list:
    polys = [pytest.param(lambda t, c=p.values[0]: derivative.poly_value(c, t),
                          lambda t, c=p.values[0]: derivative.poly_slope(c, t), p.values[1], id=p.id)
             for p in derivative.POLY_CASES]
    return polys + [pytest.param(derivative.sin_exp_value, derivative.sin_exp_slope, x, id=f"sin_exp-{x}")
                    for x in derivative.SIN_EXP_XS]


@pytest.mark.parametrize("value, slope, x", slope_cases())
def test_derivative_closed_forms_match_central_differences(value, slope, x):
    expected = slope(x)
    numeric = derivative.central_difference(value, x)
    assert abs(numeric - expected) <= 1e-6 * max(1.0, abs(expected))


def vjp_cases() -> list:
    values = [pytest.param(*case[1:], id=case[0]) for case in vjp.VALUE_CASES]
    types = [pytest.param("tanh_outer", vjp.TYPE_PARAMS, x, v, id=f"type-{x.dtype}")
             for x, v, _ in vjp.TYPE_CASES.values()]
    return [*values, *types, pytest.param("tanh_outer", vjp.OLD_PARAMS, vjp.OLD_X, vjp.OLD_V, id="old-grad")]


@pytest.mark.parametrize("name, params, x, v", vjp_cases())
def test_vjp_closed_forms_match_central_differences(name, params, x, v):
    x64, v64 = x.detach().double(), v.double()
    numeric = vjp.vjp_fd(name, params, x64, v64)
    assert checks.close(numeric, vjp.closed_form(name, params, x64, v64), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("x, scale", [(p.values[1], p.values[3]) for p in accumulation.VALUE_CASES]
                         + [(accumulation.COPIES_X, 1.0)])
def test_accumulation_closed_form_matches_central_differences(x, scale):
    """Call 1 of accumulation_growing is scale·(x²).sum()."""
    x64, delta = x.detach().double(), 1e-6
    steps_along = [e.reshape(x64.shape) * delta for e in torch.eye(x64.numel(), dtype=torch.float64)]
    numeric = torch.stack([(scale * ((x64 + e) ** 2).sum() - scale * ((x64 - e) ** 2).sum())
                           / (2 * delta) for e in steps_along]).reshape(x64.shape)
    assert checks.close(numeric, accumulation.growing_grads(x, scale, 1)[0], rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- the contract's published numbers


def test_mse_numpy_notebook_first_loss_is_30():
    y_pred, y, _, expected, _ = hidden_suite("02_losses/mse_numpy").NOTEBOOK
    assert expected == 30.0 and y_pred.tolist() == [0.0] * 4 and y.tolist() == [2.0, 4.0, 6.0, 8.0]


def test_sqrt_loss_notebook_start_is_121():
    guess, n, expected, _ = hidden_suite("02_losses/sqrt_loss").NOTEBOOK
    assert (float(guess), n, float(expected)) == (4.0, 5.0, 121.0)


def test_three_sgd_steps_reach_0_77175():
    """The notebook's data, w = 0, lr 0.01: the steps test_repeated_steps_descend expects."""
    x = np.array([1.0, 2.0, 3.0, 4.0])
    w = 0.0
    for _ in range(3):
        w = w - 0.01 * float(np.mean(2 * x * (w * x - 2 * x)))
    assert math.isclose(w, 0.77175, rel_tol=1e-12)


def test_split_seed_sizes():
    split = hidden_suite("14_generalization/split")
    for n, fraction, n_train, n_val in split.SEED_SIZES:
        X, y = split.data(10 + n, n, (3,), torch.float32, "matrix")
        X_train, y_train, X_val, y_val = split.reference(X, y, fraction, 13)
        assert (len(X_train), len(y_train), len(X_val), len(y_val)) == (n_train, n_train, n_val, n_val)


def test_early_stopping_seed_stops_after_epoch_5_with_best_epoch_2():
    early_stopping = hidden_suite("14_generalization/early_stopping")
    assert early_stopping.replay(early_stopping.SEED_LOSSES, 8, 3) == (6, 2)


def test_data_epoch_seed_batches_weigh_0_4_0_4_0_2():
    data_epoch = hidden_suite("14_generalization/data_epoch")
    c = data_epoch.SEED_CASE
    sizes = [len(rows) for rows in batch_rows(c["n"], c["batch_size"])]
    assert (c["n"], c["batch_size"], sizes) == (10, 4, [4, 4, 2])
    assert [s / sum(sizes) for s in sizes] == [0.4, 0.4, 0.2]
    losses, judged_sizes, _ = data_epoch.REFERENCE[c["seed"]]
    assert judged_sizes == sizes
    assert data_epoch.weighted(losses, sizes) == pytest.approx(
        0.4 * losses[0] + 0.4 * losses[1] + 0.2 * losses[2])
