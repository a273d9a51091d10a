"""The judge's own references for topics 03, 12 and 13, checked once here instead of in every
grade: closed forms against central differences or autograd, the guards on the suites' cases, and
the numbers the contract publishes (a seed's result) against the references the suites grade with."""

from __future__ import annotations

import math

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Scenario
from grader.suites.shared import curvature_judge as judge
from grader.suites.shared.scenario_gradients import central_differences, closed_form_grad

from .conftest import hidden_suite

autograd_grad = hidden_suite("03_gradients/autograd_grad")
adam = hidden_suite("12_optimizers/adam")
adamw = hidden_suite("12_optimizers/adamw")
clip = hidden_suite("12_optimizers/clip")
hvp = hidden_suite("13_curvature/hvp")
power_iteration = hidden_suite("13_curvature/power_iteration")
critical_lr = hidden_suite("13_curvature/critical_lr")
newton = hidden_suite("13_curvature/newton")
optimizers_adam = adam.shared  # loaded with the suite: its test class's marks, too


# ---------------------------------------------------------------- 03_gradients


def autograd_grad_inputs() -> list:
    values = [pytest.param(*autograd_grad.value_input(spec, case, dtype, seed=200),
                           id=f"{case}-{cases.dtype_id(dtype)}")
              for case, spec in autograd_grad.VALUE_CASES.items() for dtype in cases.DTYPES]
    return [*values, pytest.param(*autograd_grad.large_and_negative(), id="large-and-negative"),
            pytest.param("rosenbrock", {}, cases.randn(220, 5, dtype=torch.float32, scale=0.7, shift=0.3),
                         id="params-requiring-grad"),
            pytest.param("quadratic", {"matrix": autograd_grad.A4, "vector": autograd_grad.B4},
                         cases.randn(230, 4, scale=1.5), id="params-holding-a-grad")]


@pytest.mark.parametrize("name, params, x", autograd_grad_inputs())
def test_autograd_grad_closed_forms_match_central_differences(name, params, x):
    exact = closed_form_grad(name, params, x)
    numeric = central_differences(scenarios.judge_side(Scenario(name, params)), x, 1e-5)
    scale = max(float(exact.abs().max()), 1.0)
    assert torch.allclose(numeric, exact, rtol=1e-6, atol=1e-6 * scale)


# ---------------------------------------------------------------- 12_optimizers


def test_adam_seed_moves_p_to_0_900000002():
    """p = 1, g = 0.5, lr 0.1: one step moves p by lr·g/(|g| + ε)."""
    (trail,) = adam.SEED_EXPECTED
    assert float(trail[-1]) == pytest.approx(0.900000002, abs=1e-12)


def test_adamw_seed_decays_to_0_99_to_the_10th_where_l2_gives_0_076249():
    (trail,) = adamw.SEED_EXPECTED
    assert float(trail[-1]) == pytest.approx(0.99**10, abs=1e-12)
    assert f"{0.99**10:.6f}" == "0.904382"
    zero_gradient = optimizers_adam.given(adamw.SEED_GRADS)
    (l2,) = optimizers_adam.torch_trajectory("Adam", adamw.SEED_VALUES, zero_gradient, 10, adamw.SEED_HYPER)
    assert f"{float(l2[-1]):.6f}" == "0.076249"


@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_clip_seed_returns_5_and_scales_by_0_9999998(dtype):
    seed = clip.SEEDS[dtype]
    assert float(seed.total) == 5.0
    assert seed.after[0].tolist() == pytest.approx([3 * 5 / (5 + 1e-6), 4 * 5 / (5 + 1e-6)], rel=1e-15)
    assert f"{5 / (5 + 1e-6):.7f}" == "0.9999998"


def test_checks_close_is_what_the_adam_trajectory_check_vectorizes():
    """optimizers_adam.all_close passes a trajectory exactly when checks.close passes every update."""
    generator = torch.Generator().manual_seed(0)
    for dtype in cases.DTYPES:
        rtol, atol = checks.tolerance(dtype)
        want = torch.randn(6, 3, 2, generator=generator, dtype=torch.float64) * 10
        scale = want.reshape(6, -1).abs().amax(1).clamp(min=1).reshape(6, 1, 1)
        for factor in (0.5, 0.999, 1.001, 2.0):
            got = (want + factor * (atol * scale + rtol * want.abs())).to(dtype)
            per_update = all(checks.close(got[k], want[k].to(dtype), dtype) for k in range(6))
            assert optimizers_adam.all_close(got, want.to(dtype), dtype, None, None) == per_update


# ---------------------------------------------------------------- 13_curvature/hvp


def hvp_closed_form_cases() -> list:
    values = [pytest.param(*hvp.VALUES[case, dtype], id=f"{case}-{cases.dtype_id(dtype)}")
              for case, dtype in hvp.VALUES if hvp.VALUE_CASES[case][0].name in hvp.CLOSED_FORM]
    temperature = [pytest.param(hvp.TEMPERATURE, hvp.TEMPERATURE_X, v, expected, id=f"temperature-{i}")
                   for i, (v, expected) in enumerate(zip(hvp.TEMPERATURE_VS, hvp.TEMPERATURE_PRODUCTS,
                                                         strict=True))]
    return values + temperature


@pytest.mark.parametrize("spec, x, v, expected", hvp_closed_form_cases())
def test_hvp_references_match_the_hessian_by_hand(spec, x, v, expected):
    by_hand = judge.closed_form_hessian(spec, x) @ v.detach().to(torch.float64).reshape(-1)
    reference = judge.hvp_reference(spec, x, v)  # the suite's expected, before its cast to x's dtype
    assert torch.equal(reference.to(x.dtype), expected)
    judge.agree(reference.reshape(-1), by_hand, f"{spec.name} Hessian")


def test_chain_hvp_by_hand_matches_autograd_functional():
    """The big case's reference, on its first 2000 parameters (the formula does not depend on the size)."""
    x, v = hvp.BIG_X[:2000], hvp.BIG_V[:2000]
    by_autograd = judge.hvp_reference(Scenario("curvature_chain", {}), x, v)
    judge.agree(judge.chain_hvp(x, v), by_autograd, "chain hvp")


# ---------------------------------------------------------------- 13_curvature/power_iteration


def power_hessian_cases() -> list:
    replays = [pytest.param(spec, x, id=f"{case}-{cases.dtype_id(dtype)}")
               for (case, dtype), (spec, x, *_) in power_iteration.REPLAYS.items()]
    seeds = [pytest.param(spec, torch.tensor(power_iteration.SEED_X, dtype=dtype),
                          id=f"seed-{name}-{cases.dtype_id(dtype)}")
             for spec, name in ((power_iteration.SEED, "3"), (power_iteration.SEED_NEGATED, "minus-3"))
             for dtype in cases.DTYPES]
    converged = [pytest.param(spec, x.to(dtype), id=f"{case}-{cases.dtype_id(dtype)}")
                 for case, (spec, x, _, _) in power_iteration.CONVERGED_CASES.items()
                 for dtype in cases.DTYPES]
    return [p for p in replays + seeds + converged
            if p.values[0].name in ("curvature_quadratic", "curvature_chain", "curvature_linear")]


@pytest.mark.parametrize("spec, x", power_hessian_cases())
def test_power_iteration_hessians_match_the_closed_forms(spec, x):
    judge.agree(power_iteration.hessian(spec, x), judge.closed_form_hessian(spec, x), f"{spec.name} Hessian")


@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("eigenvalue", [3.0, -3.0])
def test_power_iteration_seed_gives_plus_or_minus_3(eigenvalue, dtype):
    _, expected, _ = power_iteration.SEEDS[eigenvalue, dtype]
    assert abs(expected - eigenvalue) < 1e-12


@pytest.mark.parametrize("case", list(power_iteration.CONVERGED_CASES))
def test_power_iteration_converged_cases_have_converged(case):
    """The replay is within 1e-9 of eigvalsh's top eigenvalue after the case's iters."""
    spec, x, iters, seed = power_iteration.CONVERGED_CASES[case]
    top = power_iteration.CONVERGED[case]
    h = power_iteration.hessian(spec, x)
    estimate = judge.replay(judge.matrix_apply(h), judge.start_vector(tuple(x.shape), x.dtype, seed), iters)
    assert abs(estimate - top) <= 1e-9 * max(1.0, abs(top))


@pytest.mark.parametrize("scale, published", [(1.0, 5883.42), (0.1, 60.6461)])
def test_power_iteration_temperature_top_eigenvalues(scale, published):
    *_, top = power_iteration.TEMPERATURE[scale]
    assert f"{top:.6g}" == f"{published:.6g}"


# ---------------------------------------------------------------- 13_curvature/critical_lr


@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("scale, published", [(1.0, 3.39938e-4), (0.1, 0.0329782)])
def test_critical_lr_of_the_temperature_data(scale, published, dtype):
    assert f"{critical_lr.critical(judge.temperature_x(scale, dtype)):.6g}" == f"{published:.6g}"


def test_critical_lr_autograd_hessian_is_the_mse_hessian_whatever_a_and_y():
    X = cases.randn(610, 9, 3)
    judge.agree(critical_lr.AUTOGRAD_HESSIAN, critical_lr.autograd_hessian(X, seed=612),
                "the MSE Hessian depends on a or y")
    judge.agree(critical_lr.AUTOGRAD_HESSIAN, critical_lr.hessian(X), "the MSE Hessian")


# ---------------------------------------------------------------- 13_curvature/newton


def test_newton_seeds():
    assert abs(newton.newton(5.0, 4.0, 1) - 128 / 43) < 1e-15
    assert newton.newton_count(5.0, 4.0, 1e-10) == 6
    assert newton.gd_count(5.0, 4.0, 0.01, 1e-10) == 39
    assert newton.gd_count(5.0, 4.0, 0.001, 1e-10) == 594


@pytest.mark.parametrize("n, guess, steps", [(3.0, 1.0, 1), (0.75, 0.5, 3), (0.0, 0.0, 1)])
def test_newton_zero_curvature_cases(n, guess, steps):
    assert newton.second_derivative(n, guess) == 0.0
    assert newton.safe(newton.newton, n, guess, steps) is None


@pytest.mark.parametrize("guess", [math.nan, math.inf, 1e200])
def test_newton_non_finite_cases_raise(guess):
    assert newton.safe(newton.newton, 5.0, guess, 2) is None


@pytest.mark.parametrize("n, guess", [(5.0, 1.0), (3.0, 1.0), (5.0, 1e200)])
def test_newton_count_raise_cases(n, guess):
    assert newton.safe(newton.newton_count, n, guess, 1e-10) is None


@pytest.mark.parametrize("lr, max_steps", [(0.06, 100_000), (0.001, 593)])
def test_gd_count_raise_cases(lr, max_steps):
    assert newton.safe(newton.gd_count, 5.0, 4.0, lr, 1e-10, max_steps) is None


def margin_ok(step, n: float, guess: float, tol: float, steps: int) -> bool:
    """The step that meets tol does so by a clear margin, and the one before misses it clearly."""
    g = float(guess)
    errors = [abs(g * g - n)]
    for _ in range(steps):
        g = step(g)
        errors.append(abs(g * g - n))
    before = errors[-2] if steps else math.inf
    return errors[-1] <= tol * 0.99 and before >= tol * 1.01


@pytest.mark.parametrize("n, guess, tol", [(5.0, 4.0, 1e-10), *(p.values for p in newton.NEWTON_COUNT_CASES)])
def test_newton_count_cases_are_far_from_a_tie(n, guess, tol):
    """No rounding of a correct implementation can move the count."""
    assert margin_ok(lambda g: newton.newton_step(n, g), n, guess, tol, newton.newton_count(n, guess, tol))


@pytest.mark.parametrize("n, guess, lr, tol", [(5.0, 4.0, 0.01, 1e-10), (5.0, 4.0, 0.001, 1e-10),
                                               *(p.values for p in newton.GD_COUNT_CASES)])
def test_gd_count_cases_are_far_from_a_tie(n, guess, lr, tol):
    steps = newton.gd_count(n, guess, lr, tol)
    assert margin_ok(lambda g: newton.gd_step(n, lr, g), n, guess, tol, steps)
