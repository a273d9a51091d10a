"""Hidden suite for 07_temperature/normalize."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import ArraySeen, Ref, TensorSeen

CONTRACT_STD = ("standardize(t) -> (Tensor, Tensor, Tensor): (t − mean)/std, mean, std, with std "
                "as Tensor.std (Bessel's correction, N − 1)")
CONTRACT_FIT = ("fit_temperature(t_u, t_c) -> predictor: learns by gradient descent and returns a "
                "function from readings in unknown units to Celsius whose MSE on the data is within "
                "1% of the least-squares optimum")

T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]


def values(seen, count: int) -> torch.Tensor | None:
    if isinstance(seen, TensorSeen | ArraySeen):
        value = torch.as_tensor(seen.value)
        if value.numel() == count:
            return value.detach().reshape(-1).to(torch.float64)
    return None


# ---------------------------------------------------------------- standardize


def std_cases():
    return [
        pytest.param(torch.tensor(T_U), id="temperature-float32-N11"),
        pytest.param(cases.randn(401, 7, scale=300.0, shift=-1000.0), id="float64-negative-large"),
        pytest.param(torch.tensor([3.0, -1.0]), id="float32-N2"),
        pytest.param(cases.uniform(402, 50, low=-2.0, high=5.0), id="float64-N50"),
    ]


def unpack_triple(outcome, t):
    seen = outcome.value
    inputs = {"t": t}
    if not isinstance(seen, tuple | list) or len(seen) != 3:
        checks.fail(f"standardize(t) should return a tuple (standardized, mean, std); it returned "
                    f"{checks._kind(seen)}", received=seen, inputs=inputs, contract=CONTRACT_STD)
    return seen


@pytest.mark.points(1)
@pytest.mark.parametrize("t", std_cases())
def test_standardize_values(learner, t):
    """standardize returns (t − mean)/std, mean and the sample std (N − 1)"""
    outcome = learner.call("standardize", t)
    z_seen, mean_seen, std_seen = unpack_triple(outcome, t)
    x = t.double()
    n = x.numel()
    mean, std, pop = x.mean(), x.std(), x.std(unbiased=False)
    inputs = {"t": t}
    bessel = ("you used the population std (divide by N): the contract's std has Bessel's "
              "correction, divide by N − 1, as t.std() does (not unbiased=False / correction=0)")
    got_mean = checks.read_number(mean_seen, bool_scalars=True)  # leniently: the types have their own test
    if got_mean is None or not checks.close(got_mean, float(mean), t.dtype):
        checks.fail("standardize(t): the mean is off" if got_mean is not None else
                    f"standardize(t): the mean should be a one-number tensor; got {checks._kind(mean_seen)}",
                    expected=float(mean), received=got_mean if got_mean is not None else mean_seen,
                    inputs=inputs, contract=CONTRACT_STD)
    got_std = checks.read_number(std_seen, bool_scalars=True)
    if got_std is None:
        checks.fail(f"standardize(t): the std should be a one-number tensor; got {checks._kind(std_seen)}",
                    received=std_seen, inputs=inputs, contract=CONTRACT_STD)
    if not checks.close(got_std, float(std), t.dtype):
        why = checks.explain_miss(torch.tensor(got_std), std, dtype=t.dtype, known={
            bessel: pop, "that is the variance: take its square root": x.var(),
            "that is the population variance; the contract's std is t.std()": x.var(unbiased=False)})
        checks.fail(f"standardize(t): {why}", expected=float(std), received=got_std, inputs=inputs,
                    contract=CONTRACT_STD)
    got_z = values(z_seen, n)
    expected = (x - mean) / std
    if got_z is None:
        checks.fail(f"standardize(t): the standardized tensor should have t's {n} values; got "
                    f"{checks._kind(z_seen)}", received=z_seen, inputs=inputs, contract=CONTRACT_STD)
    if not checks.close(got_z, expected, t.dtype):
        why = checks.explain_miss(got_z, expected, dtype=t.dtype, known={
            bessel: (x - mean) / pop,
            "the mean was not subtracted: (t − mean) / std": x / std,
            "divided by the variance instead of the std": (x - mean) / x.var(),
            "divided by the std before subtracting the mean: (t − mean) / std": x / std - mean,
        })
        checks.fail(f"standardize(t): {why}", expected=expected, received=got_z, inputs=inputs,
                    contract=CONTRACT_STD)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_standardize_types(learner, dtype):
    """standardize returns plain tensors in the dtype of t: t's shape, then two single numbers"""
    t = cases.randn(411, 9, dtype=dtype, scale=4.0, shift=10.0)
    z_seen, mean_seen, std_seen = unpack_triple(learner.call("standardize", t), t)
    inputs = {"t": t}
    for name, seen, shapes in [("the standardized tensor", z_seen, [(9,)]),
                               ("mean", mean_seen, [(), (1,)]), ("std", std_seen, [(), (1,)])]:
        if not isinstance(seen, TensorSeen):
            checks.fail(f"standardize(t): {name} should be a torch.Tensor; it is {checks._kind(seen)}",
                        inputs=inputs, contract=CONTRACT_STD)
        if not seen.exact:
            checks.fail(f"standardize(t): {name} is a {seen.type_name}; return a plain torch.Tensor",
                        inputs=inputs, contract=CONTRACT_STD)
        if seen.value.dtype != dtype:
            checks.fail(f"standardize(t): {name} is {cases.dtype_id(seen.value.dtype)} for "
                        f"{cases.dtype_id(dtype)} input: work in the dtype of t",
                        inputs=inputs, contract=CONTRACT_STD)
        if tuple(seen.value.shape) not in shapes:
            checks.fail(f"standardize(t): {name} has shape {tuple(seen.value.shape)}; expected "
                        f"{' or '.join(map(str, shapes))}", inputs=inputs, contract=CONTRACT_STD)


@pytest.mark.points(1)
@pytest.mark.rule
def test_standardize_no_graph(learner):
    """standardize's results carry no autograd graph, even when t requires grad"""
    t = cases.randn(421, 6, dtype=torch.float32).requires_grad_(True)
    seen = unpack_triple(learner.call("standardize", t), t)
    for name, part in zip(("the standardized tensor", "mean", "std"), seen, strict=True):
        if isinstance(part, TensorSeen):
            checks.no_graph(part, call=f"standardize(t) ({name}, for a t that requires grad)",
                            contract=CONTRACT_STD + "; results carry no graph: t.detach() first")


@pytest.mark.points(1)
@pytest.mark.rule
def test_standardize_leaves_input(learner):
    """standardize leaves t as it was"""
    t = cases.randn(431, 8, dtype=torch.float64, scale=5.0, shift=3.0).requires_grad_(True)
    outcome = learner.call("standardize", t)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(t, outcome.args[0], name="t", call="standardize(t)", contract=CONTRACT_STD)


# ---------------------------------------------------------------- fit_temperature


def _thermometers():
    """(t_u, t_c) pairs in float64: readings in some unit against Celsius, with noise."""
    c_f = cases.uniform(301, 15, low=-5.0, high=35.0)
    c_r = cases.uniform(303, 20, low=-10.0, high=30.0)
    c_v = cases.uniform(305, 12, low=0.0, high=25.0)
    return {
        "temperature": (torch.tensor(T_U, dtype=torch.float64), torch.tensor(T_C, dtype=torch.float64)),
        "fahrenheit-like": (1.8 * c_f + 32 + cases.randn(302, 15, scale=3.5), c_f),
        "rankine-like": ((c_r + 273.15) * 1.8 + cases.randn(304, 20, scale=4.0), c_r),
        "reversed-negative": (-0.8 * c_v + 10 + cases.randn(306, 12, scale=2.0), c_v),
    }


# Seeded constants: made once at collection, in the grader, so each judge forked from it shares
# them (tests convert them, never change them in place)
THERMOMETERS = _thermometers()


def least_squares(t_u: torch.Tensor, t_c: torch.Tensor) -> tuple[np.ndarray, float]:
    x, y = t_u.double().numpy(), t_c.double().numpy()
    design = np.stack([x, np.ones_like(x)], axis=1)
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    return coef, float(np.mean((design @ coef - y) ** 2))


def fitted(learner, t_u, t_c) -> Ref:
    outcome = learner.call("fit_temperature", t_u, t_c)
    ref = outcome.value
    if not isinstance(ref, Ref) or not ref.callable:
        checks.fail("fit_temperature(t_u, t_c) should return a function (the predictor), e.g. "
                    f"`return predict` or a lambda; it returned {checks._kind(ref)}",
                    received=ref, inputs={"t_u": t_u, "t_c": t_c}, contract=CONTRACT_FIT)
    return ref


def predict(learner, ref: Ref, readings: torch.Tensor, inputs: dict) -> torch.Tensor:
    seen = learner.call_ref(ref, readings).value
    got = values(seen, readings.numel())
    if got is None:
        checks.fail(f"the predictor should return a tensor with one temperature per reading "
                    f"({readings.numel()}); it returned {checks._kind(seen)}", received=seen,
                    inputs=inputs, contract=CONTRACT_FIT)
    return got


FIT_CASES = [pytest.param(name, dtype, id=f"{name}-{cases.dtype_id(dtype)}")
             for name, dtype in [("temperature", torch.float32), ("temperature", torch.float64),
                                 ("fahrenheit-like", torch.float64), ("rankine-like", torch.float32)]]


@pytest.mark.points(2)
@pytest.mark.parametrize("name, dtype", FIT_CASES)
def test_fit_is_near_optimal(learner, name, dtype):
    """the predictor's MSE on the data is within 1% of the least-squares optimum"""
    t_u, t_c = (v.to(dtype) for v in THERMOMETERS[name])
    inputs = {"t_u": t_u, "t_c": t_c}
    ref = fitted(learner, t_u, t_c)
    got = predict(learner, ref, t_u, inputs)
    (w, b), best = least_squares(t_u, t_c)
    mse = float(((got - t_c.double()) ** 2).mean())
    if math.isfinite(mse) and mse <= 1.01 * best:
        return
    x = t_u.double()
    as_if_standardized = w * x.std() * x + w * x.mean() + b
    if checks.close(got, as_if_standardized, dtype, rtol=1e-2, atol=1e-2):
        checks.fail(RAW_AS_STANDARDIZED, inputs=inputs, expected=w * x + b, received=got,
                    contract=CONTRACT_FIT)
    curvature = 2 * float((x**2).mean())
    checks.fail(
        "the predictor's mean squared error on the training data is not within 1% of the best line's"
        + ("" if math.isfinite(mse) else ": it predicts nan or inf, so gradient descent diverged"),
        inputs=inputs, expected=f"MSE ≤ {1.01 * best:.6g} (the least-squares line w = {w:.6g}, "
        f"b = {b:.6g} has MSE {best:.6g})", received=f"MSE {mse:.6g}",
        extra=("standardize t_u (z = (t_u − mean)/std) and run enough epochs: on raw readings the "
               f"loss's curvature is about {curvature:.3g} in w and 2 in b, so no single learning "
               "rate suits both"),
        contract=CONTRACT_FIT)


RAW_AS_STANDARDIZED = ("the predictor treats raw readings as if they were standardized: inside it, "
                       "compute (readings − mean)/std with the training t_u's mean and std before "
                       "applying w and b")


NEW_READINGS = {
    "temperature": [[20.0, 45.0, 70.0, 95.0, 33.3], [47.5]],
    "rankine-like": [[480.0, 500.0, 520.0, 545.0], [501.0]],
}


@pytest.mark.points(2)
@pytest.mark.parametrize("name, dtype", [
    pytest.param("temperature", torch.float32, id="temperature-float32"),
    pytest.param("rankine-like", torch.float64, id="rankine-like-float64"),
])
def test_predicts_new_readings(learner, name, dtype):
    """the predictor takes new readings in the original units, one or many"""
    t_u, t_c = (v.to(dtype) for v in THERMOMETERS[name])
    ref = fitted(learner, t_u, t_c)
    (w, b), best = least_squares(t_u, t_c)
    x = t_u.double()
    mean, std, pop = x.mean(), x.std(), x.std(unbiased=False)
    for batch in NEW_READINGS[name]:
        readings = torch.tensor(batch, dtype=dtype)
        inputs = {"t_u": t_u, "t_c": t_c, "new readings": readings}
        got = predict(learner, ref, readings, inputs)
        r = readings.double()
        expected = w * r + b
        # Any line whose MSE is within 1% of the optimum is off by at most this at a reading
        # (Cauchy-Schwarz in the basis 1, (x − mean)/population std); plus rounding.
        allowed = torch.sqrt(1 + ((r - mean) / pop) ** 2) * math.sqrt(0.01 * best)
        allowed = allowed + 1e-3 * max(1.0, float(expected.abs().max()))
        if torch.isfinite(got).all() and bool(((got - expected).abs() <= allowed).all()):
            continue
        own = w * ((r - r.mean()) / r.std() * std + mean) + b
        as_if_standardized = w * std * r + w * mean + b
        if len(batch) == 1 and not torch.isfinite(got).all():
            why = ("the predictor returns nan for a single reading: it seems to standardize new "
                   "readings with their own mean and std (one reading has no std). Use the mean "
                   "and std of the training t_u")
        elif len(batch) > 1 and bool(((got - own).abs() <= allowed).all()):
            why = ("the predictor standardizes new readings with their own mean and std; use the "
                   "mean and std of the training t_u, which standardize returned")
        elif bool(((got - as_if_standardized).abs() <= allowed).all()):
            why = RAW_AS_STANDARDIZED
        else:
            why = ("the predictor's answers for new readings are further from the best line than "
                   "any line within 1% of the optimum could be")
        checks.fail(why, inputs=inputs, expected=expected, received=got,
                    extra=f"allowed difference from the best line: up to {checks.fmt(allowed)}",
                    contract=CONTRACT_FIT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_predictor_output_type(learner):
    """the predictor returns a plain tensor of the readings' shape and dtype"""
    t_u, t_c = THERMOMETERS["reversed-negative"]
    ref = fitted(learner, t_u, t_c)
    readings = torch.linspace(-15.0, 12.0, 6, dtype=torch.float64)
    seen = learner.call_ref(ref, readings).value
    inputs = {"t_u": t_u, "t_c": t_c, "new readings": readings}
    if not isinstance(seen, TensorSeen):
        checks.fail(f"the predictor should return a torch.Tensor; it returned {checks._kind(seen)}",
                    received=seen, inputs=inputs, contract=CONTRACT_FIT)
    if not seen.exact:
        checks.fail(f"the predictor returned a {seen.type_name}; return a plain torch.Tensor",
                    inputs=inputs, contract=CONTRACT_FIT)
    if seen.value.dtype != torch.float64:
        checks.fail(f"the predictor returned {cases.dtype_id(seen.value.dtype)} for float64 data and "
                    "readings: work in the dtype of the inputs", inputs=inputs, contract=CONTRACT_FIT)
    if tuple(seen.value.shape) != (6,):
        checks.fail(f"the predictor returned shape {tuple(seen.value.shape)} for 6 readings of shape "
                    "(6,): one temperature per reading, same shape", inputs=inputs,
                    contract=CONTRACT_FIT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_predictor_output_has_no_graph(learner):
    """the predictor's output carries no autograd graph"""
    t_u, t_c = (v.float() for v in THERMOMETERS["fahrenheit-like"])
    ref = fitted(learner, t_u, t_c)
    seen = learner.call_ref(ref, torch.tensor([40.0, 60.0])).value
    if not isinstance(seen, TensorSeen):
        checks.fail(f"the predictor should return a torch.Tensor; it returned {checks._kind(seen)}",
                    contract=CONTRACT_FIT)
    checks.no_graph(seen, call="the predictor", contract=CONTRACT_FIT + "; results carry no graph: "
                    "predict with detached w and b (or under torch.no_grad())")
