"""Hidden suite for 04_updates/momentum."""

from functools import partial

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen
from grader.suites.shared import param_updates
from grader.suites.shared.param_updates import NAMES, leaves

CONTRACT = ("momentum_step_(params, velocities, lr, momentum) -> None: heavy ball v ← μ·v + grad; "
            "p ← p − lr·v, in place for both lists (velocities start as zeros); then clear the "
            "gradients (zeros or None). Same trajectory as torch.optim.SGD(params, lr, momentum=μ)")

STAYS_LEAF = ("update p in place under `with torch.no_grad():` so the update is not recorded by "
              "autograd and p stays the same leaf tensor that requires grad")
NOT_KEPT = ("the velocities are not kept: update each v in place (v.mul_(μ).add_(grad)) or write "
            "the new one back into the list (velocities[i] = ...); `v = μ * v + grad` only rebinds "
            "a local name, and without memory this is plain SGD")


def labels(kind: str) -> dict:
    """Names of the classic momentum mistakes, for what `kind` ('p' or 'v') came out wrong."""
    return {
        "sign": "the sign is flipped: step against the velocity, p − lr·v",
        "old": "the parameters moved with the old velocity: update v ← μ·v + grad first, then "
               "p ← p − lr·v with the new v",
        "nesterov": "that is Nesterov's variant (p ← p − lr·(grad + μ·v)); the contract asks for "
                    "the heavy ball, p ← p − lr·v",
        "dampened": "the gradient was scaled by (1 − μ), an exponential average; the heavy ball "
                    "adds the whole gradient: v ← μ·v + grad",
        "lr_in_v": "you folded lr into the velocity (v ← μ·v + lr·grad, p ← p − v); the contract "
                   "keeps it out: v ← μ·v + grad, p ← p − lr·v, as torch.optim.SGD does",
        "plain": NOT_KEPT if kind == "p" else "the velocity was not updated: " + NOT_KEPT,
        "v_sign": "the velocity subtracts the gradient; the heavy ball adds it: v ← μ·v + grad",
    }


# ---------------------------------------------------------------- inputs


initial = partial(param_updates.initial, seed=80)
random_grads = partial(param_updates.random_grads, seed=82)


def random_velocities(dtype: torch.dtype) -> list[torch.Tensor]:
    """Velocities as they are in the middle of a run: not zeros."""
    return [cases.randn(84, 2, 3, dtype=dtype, scale=2.0),
            cases.randn(85, 2, dtype=dtype, shift=1.0),
            torch.tensor(-75.0, dtype=dtype)]


LOSS = param_updates.Loss(seed=86)


# the new v, then the new p, of each classic wrong way (only the way asked for is computed)
WRONG_V = {"dampened": lambda v, g, lr, mu: mu * v + (1 - mu) * g,
           "lr_in_v": lambda v, g, lr, mu: mu * v + lr * g,
           "plain": lambda v, g, lr, mu: v,
           "v_sign": lambda v, g, lr, mu: mu * v - g}
WRONG_P = {"sign": lambda p, v, new_v, g, lr, mu: p + lr * new_v,
           "old": lambda p, v, new_v, g, lr, mu: p - lr * v,
           "nesterov": lambda p, v, new_v, g, lr, mu: p - lr * (g + mu * new_v),
           "lr_in_v": lambda p, v, new_v, g, lr, mu: p - new_v,
           "plain": lambda p, v, new_v, g, lr, mu: p - lr * g}


def one_step(p, v, g, lr, mu, kind: str = "right"):
    """(new p, new v) for one step, in float64, the right way or one of the classic wrong ways."""
    p, v, g = p.double(), v.double(), g.double()
    new_v = WRONG_V[kind](v, g, lr, mu) if kind in WRONG_V else mu * v + g
    new_p = WRONG_P[kind](p, v, new_v, g, lr, mu) if kind in WRONG_P else p - lr * new_v
    return new_p, new_v


# ---------------------------------------------------------------- reading what came back


def call(learner, params, velocities, lr: float, mu: float):
    return param_updates.call(learner, "momentum_step_", params, velocities, lr, mu,
                              stays_leaf=STAYS_LEAF, contract=CONTRACT)


def seen_list(items, count: int, what: str) -> list[TensorSeen]:
    if not param_updates.holds_tensors(items, count):
        checks.fail(f"after momentum_step_, the {what} list no longer holds {count} tensors "
                    f"({checks.fmt(items)}): update them in place", contract=CONTRACT)
    return items


# ---------------------------------------------------------------- one step


KINDS = ("sign", "old", "nesterov", "dampened", "lr_in_v", "plain")
V_KINDS = ("dampened", "lr_in_v", "plain", "v_sign")
# the inputs of a step from the middle of a run, by dtype: parameters, their gradients, velocities
MID_RUN = {dtype: (initial(dtype), random_grads(dtype), random_velocities(dtype)) for dtype in cases.DTYPES}


def judged_step(dtype: torch.dtype, lr: float, mu: float, which: int, kinds: tuple[str, ...]) -> list:
    """For each parameter, the new p (which = 0) or v (which = 1) of one step from MID_RUN, and
    what each classic mistake makes of it: computed once, at collection."""
    values, grads, vels = MID_RUN[dtype]
    names = labels("p" if which == 0 else "v")
    return [(one_step(p, v, g, lr, mu)[which].to(dtype),
             {names[k]: one_step(p, v, g, lr, mu, k)[which] for k in kinds})
            for p, v, g in zip(values, vels, grads, strict=True)]


NEW_PARAMS = {dtype: judged_step(dtype, 0.1, 0.9, 0, KINDS) for dtype in cases.DTYPES}
NEW_VELOCITIES = {dtype: judged_step(dtype, 0.1, 0.8, 1, V_KINDS) for dtype in cases.DTYPES}


def step_from_mid_run(learner, dtype: torch.dtype, lr: float, mu: float):
    """The raw outcome of one momentum_step_ from MID_RUN (velocities not zeros)."""
    values, grads, vels = MID_RUN[dtype]
    return learner.call("momentum_step_", leaves(values, grads), [v.clone() for v in vels], lr, mu)


@pytest.fixture(scope="module")
def shared_step(learner):
    """The float64 step from MID_RUN with lr 0.1, μ 0.9, made by the first test that asks: three
    tests judge that one call (the new parameters, the None returned, the leaves left)."""
    return lambda: learner.shared("float64 step", lambda: step_from_mid_run(learner, torch.float64, 0.1, 0.9))


def checked(outcome):
    return param_updates.checked(outcome, "momentum_step_", stays_leaf=STAYS_LEAF, contract=CONTRACT)


@pytest.mark.points(2)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_one_step_params(learner, shared_step, dtype):
    """p ← p − lr·(μ·v + grad) for every parameter"""
    lr, mu = 0.1, 0.9
    values, grads, vels = MID_RUN[dtype]
    outcome = checked(shared_step() if dtype == torch.float64 else step_from_mid_run(learner, dtype, lr, mu))
    seen = seen_list(outcome.args[0], 3, "params")
    for i, (name, (expected, known)) in enumerate(zip(NAMES, NEW_PARAMS[dtype], strict=True)):
        checks.tensor(seen[i].value, expected, call=f"momentum_step_: the new {name}",
                      inputs={name: values[i], f"{name}.grad": grads[i], "v": vels[i], "lr": lr,
                              "momentum": mu}, contract=CONTRACT, known=known)


@pytest.mark.points(2)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_one_step_velocities(learner, dtype):
    """v ← μ·v + grad, seen in the caller's velocities list"""
    lr, mu = 0.1, 0.8
    _, grads, vels = MID_RUN[dtype]
    seen = seen_list(checked(step_from_mid_run(learner, dtype, lr, mu)).args[1], 3, "velocities")
    for i, (name, (expected, known)) in enumerate(zip(NAMES, NEW_VELOCITIES[dtype], strict=True)):
        checks.tensor(seen[i].value, expected, call=f"momentum_step_: the velocity of {name}",
                      inputs={"v": vels[i], f"{name}.grad": grads[i], "lr": lr, "momentum": mu},
                      contract=CONTRACT, known=known)


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_none(shared_step):
    """returns None"""
    param_updates.check_returns_none(checked(shared_step()), fn="momentum_step_", contract=CONTRACT)


@pytest.mark.points(2)
def test_gradients_cleared(learner):
    """clears each gradient after the update"""
    outcome = checked(step_from_mid_run(learner, torch.float32, 0.05, 0.9))
    param_updates.check_cleared(seen_list(outcome.args[0], 3, "params"), fn="momentum_step_",
                                contract=CONTRACT)


@pytest.mark.points(2)
@pytest.mark.rule
def test_params_stay_leaves(shared_step):
    """each parameter stays a leaf that requires grad, with no graph"""
    param_updates.check_leaves(seen_list(checked(shared_step()).args[0], 3, "params"), fn="momentum_step_",
                               stays_leaf=STAYS_LEAF, contract=CONTRACT)


# ---------------------------------------------------------------- several steps


def trajectory(values: list[torch.Tensor], lr: float, mu: float, steps: int, kind: str = "right",
               clear: bool = True) -> list[torch.Tensor]:
    """What torch.optim.SGD(params, lr, momentum=μ) does with step() then zero_grad(), in float64
    (written out: torch.optim's first use imports torch._dynamo and costs seconds); or a wrong way."""
    ps = [v.detach().to(torch.float64).clone() for v in values]
    vs = [torch.zeros_like(p) for p in ps]
    total = [torch.zeros_like(p) for p in ps]
    for _ in range(steps):
        grads = LOSS.grads(ps)
        total = grads if clear else [t + g for t, g in zip(total, grads, strict=True)]
        pairs = [one_step(p, v, g, lr, mu, kind) for p, v, g in zip(ps, vs, total, strict=True)]
        ps, vs = [p for p, _ in pairs], [v for _, v in pairs]
    return ps


TRAJECTORY = {dtype: trajectory(MID_RUN[dtype][0], 0.1, 0.9, 8) for dtype in cases.DTYPES}


@pytest.mark.points(3)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_trajectory_matches_torch_optim(learner, dtype):
    """eight steps with backward() in between follow torch.optim.SGD(momentum=μ)"""
    values, lr, mu, steps = MID_RUN[dtype][0], 0.1, 0.9, 8
    current, left = values, [None] * 3
    velocities = [torch.zeros_like(v) for v in values]
    for _ in range(steps):  # as a training loop does: backward() adds onto what .grad holds
        grads = [g if prev is None else prev + g
                 for g, prev in zip(LOSS.grads(current), left, strict=True)]
        outcome = call(learner, leaves(current, grads), velocities, lr, mu)
        seen = seen_list(outcome.args[0], 3, "params")
        velocities = [v.value.clone() for v in seen_list(outcome.args[1], 3, "velocities")]
        current, left = [s.value for s in seen], [s.grad for s in seen]
    expected = TRAJECTORY[dtype]
    names = labels("p")
    known = {}
    if not all(checks.close(c, e.to(dtype), dtype) for c, e in zip(current, expected, strict=True)):
        known = {names[k]: trajectory(values, lr, mu, steps, k) for k in KINDS if k != "lr_in_v"}
        known["the gradients pile up: this is the trajectory where .grad is never cleared, so "
              "each backward() accumulates onto the last gradient; clear it after the "
              "update"] = trajectory(values, lr, mu, steps, clear=False)
    for i, name in enumerate(NAMES):
        checks.tensor(current[i], expected[i].to(dtype),
                      call=f"{name} after {steps} steps of momentum_step_ (backward() in between, "
                      "velocities passed back each step)",
                      inputs={"initial " + name: values[i], "lr": lr, "momentum": mu},
                      contract=CONTRACT, known={label: wrong[i] for label, wrong in known.items()})
