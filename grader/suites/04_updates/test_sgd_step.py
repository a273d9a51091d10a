"""Hidden suite for 04_updates/sgd_step."""

from functools import partial

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import AsGenerator, TensorSeen
from grader.suites.shared import param_updates
from grader.suites.shared.param_updates import NAMES, is_cleared, leaves

CONTRACT = ("sgd_step_(params, lr) -> None: for each p with a .grad (params: any iterable, a "
            "generator too): p ← p − lr·grad in place, not recorded by autograd, then clear p.grad "
            "(zeros or None); p stays the same leaf requiring grad; .grad None: skipped; same "
            "trajectory as torch.optim.SGD(params, lr)")

NOTHING_MOVED = ("nothing moved: update each p in place under torch.no_grad() (p -= lr * p.grad "
                 "or p.sub_(...)) and clear the gradient only after using it; `p = p - lr * p.grad` "
                 "only rebinds a local name")
STAYS_LEAF = ("update it in place under `with torch.no_grad():` so the update is not recorded "
              "by autograd and p stays the same leaf tensor that requires grad")


# ---------------------------------------------------------------- inputs


initial = partial(param_updates.initial, seed=70)
random_grads = partial(param_updates.random_grads, seed=72)
LOSS = param_updates.Loss(seed=74)
# by dtype: the parameters and their gradients
INPUTS = {dtype: (initial(dtype), random_grads(dtype)) for dtype in cases.DTYPES}


# ---------------------------------------------------------------- reading what came back


def call(learner, params, lr: float):
    return param_updates.call(learner, "sgd_step_", params, lr, stays_leaf=STAYS_LEAF, contract=CONTRACT)


def seen_params(items, count: int, where: str) -> list[TensorSeen]:
    if not param_updates.holds_tensors(items, count):
        checks.fail(f"after sgd_step_, {where} no longer holds the {count} parameter tensors it was "
                    f"given ({checks.fmt(items)}): {STAYS_LEAF}", contract=CONTRACT)
    return items


# ---------------------------------------------------------------- one step


def one_step(dtype: torch.dtype, lr: float) -> list:
    """For each parameter, p − lr·grad and what the classic mistakes make of it: at collection."""
    values, grads = INPUTS[dtype]
    out = []
    for value, grad in zip(values, grads, strict=True):
        v64, g64 = value.double(), grad.double()
        out.append(((v64 - lr * g64).to(dtype), {
            NOTHING_MOVED: v64,
            "the sign is flipped: step against the gradient, p − lr·grad": v64 + lr * g64,
            "the learning rate is missing: the step is lr·grad, not grad": v64 - g64}))
    return out


ONE_STEP = {dtype: one_step(dtype, 0.1) for dtype in cases.DTYPES}


def step(learner, dtype: torch.dtype, lr: float):
    """The raw outcome of sgd_step_ on the parameters of INPUTS."""
    return learner.call("sgd_step_", leaves(*INPUTS[dtype]), lr)


@pytest.fixture(scope="module")
def shared_step(learner):
    """The float64 step with lr 0.1, made by the first test that asks: three tests judge that one
    call (the new parameters, the None returned, the leaves left)."""
    return lambda: learner.shared("float64 step", lambda: step(learner, torch.float64, 0.1))


def checked(outcome):
    return param_updates.checked(outcome, "sgd_step_", stays_leaf=STAYS_LEAF, contract=CONTRACT)


@pytest.mark.points(2)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_one_step_values(learner, shared_step, dtype):
    """p ← p − lr·grad for every parameter"""
    (values, grads), lr = INPUTS[dtype], 0.1
    outcome = checked(shared_step() if dtype == torch.float64 else step(learner, dtype, lr))
    seen = seen_params(outcome.args[0], 3, "params")
    for name, value, grad, after, (expected, known) in zip(NAMES, values, grads, seen, ONE_STEP[dtype],
                                                           strict=True):
        checks.tensor(after.value, expected, call=f"sgd_step_: the new {name}",
                      inputs={name: value, f"{name}.grad": grad, "lr": lr}, contract=CONTRACT,
                      known=known)


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_none(shared_step):
    """returns None"""
    param_updates.check_returns_none(checked(shared_step()), fn="sgd_step_", contract=CONTRACT)


@pytest.mark.points(2)
def test_gradients_cleared(learner):
    """clears each gradient after the update"""
    outcome = checked(step(learner, torch.float32, 0.05))
    param_updates.check_cleared(seen_params(outcome.args[0], 3, "params"), fn="sgd_step_",
                                contract=CONTRACT)


@pytest.mark.points(2)
@pytest.mark.rule
def test_params_stay_leaves(shared_step):
    """each parameter stays a leaf that requires grad, with no graph"""
    param_updates.check_leaves(seen_params(checked(shared_step()).args[0], 3, "params"), fn="sgd_step_",
                               stays_leaf=STAYS_LEAF, contract=CONTRACT, exact=True)


@pytest.mark.points(2)
def test_accepts_a_generator(learner):
    """params may be a generator, like model.parameters()"""
    (values, grads), lr = INPUTS[torch.float64], 0.2
    outcome = call(learner, AsGenerator(tuple(leaves(values, grads))), lr)
    seen = seen_params(outcome.generators[0] if outcome.generators else None, 3, "the generator")
    for name, value, grad, after in zip(NAMES, values, grads, seen, strict=True):
        checks.tensor(after.value, value - lr * grad, call=f"sgd_step_ on a generator: the new {name}",
                      inputs={name: value, f"{name}.grad": grad, "lr": lr}, contract=CONTRACT,
                      known={NOTHING_MOVED + " (with a generator, the tensors it yields are the "
                             "ones to change)": value,
                             "the sign is flipped: step against the gradient, p − lr·grad":
                                 value + lr * grad})
        if not is_cleared(after.grad):
            checks.fail(f"with params a generator, {name} moved but {name}.grad was not cleared: "
                        "clear each gradient after its update; and a generator can be walked through "
                        "only once, so update and clear each p in the same loop (or make a list of "
                        "it first)", received=after.grad, extra="expected: None or zeros",
                        contract=CONTRACT)
        if not after.is_leaf or not after.requires_grad:
            checks.fail(f"with params a generator, {name} is no longer a leaf that requires grad; "
                        f"{STAYS_LEAF}", contract=CONTRACT)


@pytest.mark.points(2)
def test_skips_params_without_grad(learner):
    """skips parameters whose .grad is None"""
    (values, grads), lr = INPUTS[torch.float32], 0.1
    grads = [grads[0], None, grads[2]]  # b took no part in the loss
    outcome = learner.call("sgd_step_", leaves(values, grads), lr)
    if outcome.raised is not None and not outcome.raised.is_a("NotImplementedError"):
        checks.fail(f"sgd_step_ raised {outcome.raised.describe()} when b.grad is None: skip the "
                    "parameters whose .grad is None (they took no part in the loss), as "
                    "torch.optim.SGD does", contract=CONTRACT)
    outcome.value  # noqa: B018 - not written yet
    seen = seen_params(outcome.args[0], 3, "params")
    b = seen[1]
    if not torch.equal(b.value, values[1]) or not is_cleared(b.grad):
        checks.fail("b.grad was None, so sgd_step_ should leave b alone", inputs={"b": values[1]},
                    expected=values[1], received=b.value, contract=CONTRACT)
    if not b.is_leaf or not b.requires_grad:
        checks.fail(f"b.grad was None and b should be left alone, but it is no longer a leaf that "
                    f"requires grad; {STAYS_LEAF}", contract=CONTRACT)
    for index in (0, 2):
        v64, g64 = values[index].double(), grads[index].double()
        checks.tensor(seen[index].value, (v64 - lr * g64).to(torch.float32),
                      call=f"sgd_step_: the new {NAMES[index]} (next to b, whose .grad is None)",
                      inputs={NAMES[index]: values[index], "lr": lr}, contract=CONTRACT,
                      known={NOTHING_MOVED: v64})


# ---------------------------------------------------------------- several steps


def optim_reference(values: list[torch.Tensor], lr: float, steps: int) -> list[torch.Tensor]:
    """What torch.optim.SGD(params, lr) does with step() then zero_grad(), in float64.

    Written out (p ← p − lr·∇loss(p) per step) rather than run through torch.optim, whose first
    use imports torch._dynamo and costs seconds.
    """
    ps = [v.detach().to(torch.float64).clone() for v in values]
    for _ in range(steps):
        ps = [p - lr * g for p, g in zip(ps, LOSS.grads(ps), strict=True)]
    return ps


def wrong_trajectory(values: list[torch.Tensor], lr: float, steps: int, *, sign: float = 1.0,
                     clear: bool = True) -> list[torch.Tensor]:
    ps = [v.detach().to(torch.float64).clone() for v in values]
    total = [torch.zeros_like(p) for p in ps]
    for _ in range(steps):
        grads = LOSS.grads(ps)
        total = grads if clear else [t + g for t, g in zip(total, grads, strict=True)]
        ps = [p - sign * lr * t for p, t in zip(ps, total, strict=True)]
    return ps


TRAJECTORY = {dtype: optim_reference(INPUTS[dtype][0], 0.3, 6) for dtype in cases.DTYPES}


@pytest.mark.points(3)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_trajectory_matches_torch_optim(learner, dtype):
    """six steps with backward() in between follow torch.optim.SGD"""
    values, lr, steps = INPUTS[dtype][0], 0.3, 6
    current, left = values, [None] * 3
    for _ in range(steps):  # as a training loop does: backward() adds onto what .grad holds
        grads = [g if prev is None else prev + g for g, prev in zip(LOSS.grads(current), left,
                                                                        strict=True)]
        outcome = call(learner, leaves(current, grads), lr)
        seen = seen_params(outcome.args[0], 3, "params")
        current, left = [s.value for s in seen], [s.grad for s in seen]
    expected = TRAJECTORY[dtype]
    right = all(checks.close(c, e.to(dtype), dtype) for c, e in zip(current, expected, strict=True))
    known = {} if right else {  # the classic mistakes are replayed only on a miss
        "the gradients pile up: this is the trajectory where .grad is never cleared, so each "
        "backward() accumulates onto the last gradient; clear it after the update":
            wrong_trajectory(values, lr, steps, clear=False),
        "the sign is flipped: step against the gradient, p − lr·grad":
            wrong_trajectory(values, lr, steps, sign=-1.0),
    }
    for index, name in enumerate(NAMES):
        checks.tensor(current[index], expected[index].to(dtype),
                      call=f"{name} after {steps} steps of sgd_step_ (backward() in between)",
                      inputs={"initial " + name: values[index], "lr": lr}, contract=CONTRACT,
                      known={label: wrong[index] for label, wrong in known.items()})
