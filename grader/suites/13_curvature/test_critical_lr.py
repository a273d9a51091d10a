"""Hidden suite for 13_curvature/critical_lr."""

import math

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen
from grader.suites.shared import curvature_judge as judge

CONTRACT = ("mse_hessian(X) -> Tensor: H = (2/N)·XᵀX of the MSE of ŷ = X@a, shape (D, D), X's dtype, no "
            "graph; critical_lr(X) -> float: 2/λmax(H), λmax by torch.linalg.eigvalsh in float64, math.inf "
            "when H = 0; must not modify X")
HESSIAN_CALL = "mse_hessian(X)"
LR_CALL = "critical_lr(X)"

# ---------------------------------------------------------------- references, float64


def hessian(X: torch.Tensor, factor: float = 2.0) -> torch.Tensor:
    x = X.detach().to(torch.float64)
    return factor / x.shape[0] * x.T @ x


def eigenvalues(X: torch.Tensor) -> torch.Tensor:
    """λ of H in float64 from H in X's dtype, as the contract computes them."""
    return torch.linalg.eigvalsh(hessian(X).to(X.dtype).to(torch.float64))


def critical(X: torch.Tensor) -> float:
    top = float(eigenvalues(X)[-1])
    return math.inf if top <= 0 else 2.0 / top


def hessian_wrong_answers(X: torch.Tensor) -> checks.OnMiss:
    return checks.OnMiss(lambda: {
        "H = (1/N)·XᵀX is half the Hessian: the mean of squares (X@a − y)² differentiates twice "
        "to (2/N)·XᵀX": hessian(X, 1.0),
        "H = 2·XᵀX is N times too large: the loss is a mean, so H = (2/N)·XᵀX": hessian(X, 2.0 * X.shape[0]),
    })


def lr_wrong_answers(X: torch.Tensor) -> checks.OnMiss:
    return checks.OnMiss(lambda: lr_mistakes(X))


def lr_mistakes(X: torch.Tensor) -> dict:
    lam = eigenvalues(X)
    known = {
        "that is 1/λmax: gradient descent diverges only above 2/λmax, where the factor 1 − lr·λ on the "
        "top eigenvector drops below −1": 1.0 / float(lam[-1]),
        "that is 2/λmax of H = (1/N)·XᵀX: the Hessian of the MSE is (2/N)·XᵀX": 4.0 / float(lam[-1]),
        "that is 2/λmin: torch.linalg.eigvalsh sorts the eigenvalues in ascending order, so λmax is the "
        "last one": 2.0 / float(lam[0]) if float(lam[0]) > 0 else math.nan,
    }
    if X.dtype == torch.float64:
        h32 = hessian(X).to(torch.float32)
        known["λmax was computed in float32: convert H to float64 before torch.linalg.eigvalsh"] = (
            2.0 / float(torch.linalg.eigvalsh(h32)[-1]))
    return known


HESSIAN_CASES = cases.dtype_and_shape([(7, 3), (20, 1), (5, 4), (2, 5)])


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, shape", HESSIAN_CASES)
def test_mse_hessian_matches_closed_form(learner, dtype, shape):
    """mse_hessian: (2/N)·XᵀX"""
    X = cases.randn(600 + sum(shape), *shape, dtype=dtype, scale=2.0, shift=0.5)
    outcome = learner.call("mse_hessian", X)
    checks.tensor(outcome, hessian(X).to(dtype), call=HESSIAN_CALL, inputs={"X": X}, contract=CONTRACT,
                  known=hessian_wrong_answers(X))


@pytest.mark.points(1)
@pytest.mark.parametrize("scale, published", [(1.0, (0.175108, 5883.42)), (0.1, (0.169876, 60.6461))],
                         ids=["raw-t_u", "0.1-t_u"])
def test_mse_hessian_of_the_temperature_data(learner, scale, published):
    """mse_hessian of [t_u, 1]: eigenvalues 0.175108 and 5883.42 (raw), 60.6461 at the top (0.1·t_u)"""
    X = judge.temperature_x(scale, torch.float32)
    outcome = learner.call("mse_hessian", X)
    seen = checks.tensor(outcome, hessian(X).to(torch.float32), call=HESSIAN_CALL, inputs={"X": X},
                         contract=CONTRACT, known=hessian_wrong_answers(X))
    got = torch.linalg.eigvalsh(seen.value.to(torch.float64))
    if not checks.close(got, torch.tensor(published), torch.float32, rtol=1e-5):
        checks.fail(f"{HESSIAN_CALL}: the eigenvalues of the returned H are not the contract's",
                    inputs={"X": "[t_u, 1]" if scale == 1.0 else "[0.1·t_u, 1]"}, expected=list(published),
                    received=got.tolist(), contract=CONTRACT)


@pytest.mark.points(1)
def test_mse_hessian_is_the_hessian_of_the_mse(learner):
    """mse_hessian agrees with autograd's Hessian of mean((X@a − y)²), whatever a and y"""
    X = cases.randn(610, 9, 3)
    outcome = learner.call("mse_hessian", X)
    checks.tensor(outcome, AUTOGRAD_HESSIAN, call=HESSIAN_CALL, inputs={"X": X}, contract=CONTRACT,
                  known=hessian_wrong_answers(X))


LR_CASES = cases.dtype_and_shape([(7, 3), (30, 2), (6, 6)])


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, shape", LR_CASES)
def test_critical_lr_matches_eigvalsh(learner, dtype, shape):
    """critical_lr: 2/λmax, λmax by torch.linalg.eigvalsh in float64"""
    X = cases.randn(620 + sum(shape), *shape, dtype=dtype, scale=1.5, shift=0.3)
    outcome = learner.call("critical_lr", X)
    # float64 data: λmax from float64 eigvalsh agrees to 1e-12, float32's is some 1e-8 off
    rtol = 1e-12 if dtype == torch.float64 else None
    got = checks.as_number(outcome, call=LR_CALL, inputs={"X": X}, contract=CONTRACT,
                           what="the critical learning rate as a number (a Python float)")
    checks.python_float(got, critical(X), call=LR_CALL, inputs={"X": X}, contract=CONTRACT,
                        known=lr_wrong_answers(X), dtype=dtype, rtol=rtol, atol=0.0)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("scale, published", [(1.0, 3.39938e-4), (0.1, 0.0329782)],
                         ids=["raw-t_u", "0.1-t_u"])
def test_critical_lr_of_the_temperature_data(learner, scale, published, dtype):
    """seed: critical lr 3.39938e-4 on raw t_u (so lr 1e-2 diverges), 0.0329782 on 0.1·t_u"""
    X = judge.temperature_x(scale, dtype)
    expected = critical(X)  # tests/test_published_numbers_03_12_13.py checks it is the published number
    outcome = learner.call("critical_lr", X)
    got = checks.as_number(outcome, call=LR_CALL, inputs={"X": X}, contract=CONTRACT,
                           what="the critical learning rate as a number (a Python float)")
    shown = "[t_u, 1]" if scale == 1.0 else "[0.1·t_u, 1]"
    checks.python_float(got, expected, call=LR_CALL, inputs={"X": shown}, contract=CONTRACT,
                        known=lr_wrong_answers(X), dtype=dtype,
                        rtol=1e-12 if dtype == torch.float64 else None, atol=0.0)


@pytest.mark.points(1)
@pytest.mark.rule  # returning math.inf everywhere passes this: it counts once the results are right
@pytest.mark.parametrize("shape", [(4, 3), (1, 1)], ids=["4x3", "1x1"])
def test_zero_hessian_gives_infinity(learner, shape):
    """math.inf when H = 0 (X all zeros): no learning rate diverges"""
    X = torch.zeros(shape, dtype=torch.float64)
    outcome = learner.call("critical_lr", X)
    if outcome.raised is not None and not outcome.raised.is_a("NotImplementedError"):
        checks.fail(f"{LR_CALL} raised {outcome.raised.describe()} for X = 0: H = 0 has λmax = 0, and then "
                    "the contract returns math.inf instead of dividing by 0", inputs={"X": X},
                    contract=CONTRACT)
    got = checks.as_number(outcome, call=LR_CALL, inputs={"X": X}, contract=CONTRACT,
                           what="math.inf (a Python float)")
    if got != math.inf:
        checks.fail(f"{LR_CALL}: H = 0 here, so no learning rate diverges: return math.inf",
                    inputs={"X": X}, expected=math.inf, received=got, contract=CONTRACT)


# ---------------------------------------------------------------- behaviour rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_critical_lr_returns_python_float(learner):
    """critical_lr returns a Python float"""
    X = judge.temperature_x(0.1, torch.float32)
    outcome = learner.call("critical_lr", X)
    if type(outcome.value) is not float:
        checks.python_float(outcome, critical(X), call=LR_CALL, inputs={"X": "[0.1·t_u, 1]"},
                            contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_mse_hessian_without_graph_in_dtype_of_x(learner, dtype):
    """mse_hessian: X's dtype, and no graph even when X requires grad"""
    X = cases.randn(630, 6, 2, dtype=dtype).requires_grad_(True)
    outcome = learner.call("mse_hessian", X)
    seen = outcome.value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{HESSIAN_CALL} should return a torch.Tensor; it returned {checks.fmt(seen)}",
                    contract=CONTRACT)
    if seen.value.dtype != dtype:
        checks.fail(f"{HESSIAN_CALL} returned {cases.dtype_id(seen.value.dtype)} for "
                    f"{cases.dtype_id(dtype)} X: work in X's dtype", contract=CONTRACT)
    if seen.has_graph or seen.requires_grad:
        checks.fail(f"{HESSIAN_CALL} returned a tensor that still carries an autograd graph (X requires "
                    "grad here): H depends on neither y nor a, so build it from X.detach()",
                    contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("function", ["mse_hessian", "critical_lr"])
def test_x_unchanged(learner, function):
    """leaves X as it was: values, requires_grad and .grad"""
    X = cases.randn(640, 5, 3, dtype=torch.float32).requires_grad_(True)
    X.grad = cases.randn(641, 5, 3, dtype=torch.float32)
    outcome = learner.call(function, X)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(X, outcome.args[0], name="X", call=f"{function}(X)", contract=CONTRACT)


def autograd_hessian(X: torch.Tensor, seed: int = 611) -> torch.Tensor:
    """The Hessian of mean((X@a − y)²) by torch.autograd.functional.hessian at a seeded (a, y)
    (tests/test_published_numbers_03_12_13.py checks that another (a, y) and (2/N)·XᵀX agree)."""
    a, y = cases.randn(seed, X.shape[1]), cases.randn(seed + 10, X.shape[0], scale=3.0)
    return torch.autograd.functional.hessian(lambda b: ((X @ b - y) ** 2).mean(), a)


AUTOGRAD_HESSIAN = autograd_hessian(cases.randn(610, 9, 3))
