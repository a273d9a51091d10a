"""Hidden suite for 10_classification/bce."""

import math

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen
from grader.suites.shared import classification_judge as judge

CONTRACT = ("bce_with_logits(logits, y) -> Tensor: mean over all elements of log(1 + e^z) − y·z, "
            "written stably as max(z, 0) − y·z + log(1 + e^(−|z|)); equals "
            "F.binary_cross_entropy_with_logits; 0-d, differentiable w.r.t. logits; finite and right "
            "for logits up to ±1e4 in float32, its gradient (σ(z) − y)/numel finite everywhere; "
            "without torch.nn, torch.nn.functional or torch.logaddexp; ValueError when the shapes "
            "differ; must not modify its inputs")
CALL = "bce_with_logits(logits, y)"
# torch.nn's functional losses live in torch.nn.functional (watched during the call by name), and
# torch has BCE-with-logits at its top level too
FORBIDDEN = ("torch.nn", "torch.nn.functional", "torch.logaddexp", "Tensor.logaddexp",
             "torch.binary_cross_entropy_with_logits")

STABLE = "max(z, 0) − y·z + log(1 + e^(−|z|)), whose exponent is never positive"
OVERFLOW = (f"log(1 + e^z) overflows: e^z is inf at z = 1e4 (in float64 as well), so the loss is "
            f"inf. Use the stable form {STABLE}")
LOG_SIGMOID = ("a log of the sigmoid: σ(1e4) rounds to 1 and σ(−1e4) to 0, so log(1 − σ(z)) or "
               "log σ(z) is −inf, and 0·(−inf) is nan. Work with the logits, never with σ: "
               f"{STABLE}")
CAPPED = ("finite but wrong at |z| = 1e4, where the loss is |z| itself: a clamped probability (or "
          "an ε inside the log) caps it. Work with the logits, never with σ: " + STABLE)
WHERE_NAN = ("the loss is right but its gradient has nan in it: torch.where computes both branches, "
             "and the branch it did not pick overflows (e^(1e4) = inf), so its zero gradient "
             "becomes 0·inf = nan. Write one formula with no overflow anywhere: " + STABLE)


def wrong_answers(z: torch.Tensor, y: torch.Tensor) -> dict:
    z, t = z.detach().double(), y.detach().double()
    relu, soft = z.clamp(min=0), torch.log1p(torch.exp(-z.abs()))
    return {
        "the y·z term has the wrong sign: the loss is max(z, 0) − y·z + log(1 + e^(−|z|))":
            (relu + t * z + soft).mean(),
        "the max(z, 0) term is missing: log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|))":
            (-t * z + soft).mean(),
        "log(1 + e^(−z)) is not log(1 + e^(−|z|)): with max(z, 0) in front, the exponent takes |z|":
            (relu - t * z + torch.log1p(torch.exp(-z))).mean(),
        "the log(1 + e^(−|z|)) term is missing: log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|))":
            (relu - t * z).mean(),
        "y and 1 − y are swapped: the loss of a logit z with y = 1 is log(1 + e^(−z))":
            judge.bce_reference(z, 1 - t),
    }


def labels01(seed: int, *shape: int, dtype: torch.dtype) -> torch.Tensor:
    return (cases.uniform(seed, *shape) > 0).to(dtype)


def check(outcome, z, y, *, differentiable: bool = False, **tolerance) -> TensorSeen:
    return checks.tensor(outcome, judge.bce_reference(z, y).to(z.dtype), call=CALL,
                         inputs={"logits": z, "y": y}, contract=CONTRACT, n=z.numel(),
                         known=checks.OnMiss(lambda: wrong_answers(z, y)),
                         differentiable=differentiable, **tolerance)


# ---------------------------------------------------------------- values


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, shape", cases.dtype_and_shape([(7,), (1,), (), (5, 3), (2, 3, 4)]))
def test_matches_torch(learner, dtype, shape):
    """equals F.binary_cross_entropy_with_logits, 0/1 labels"""
    z = cases.randn(11, *shape, dtype=dtype, scale=4.0)
    y = labels01(12, *shape, dtype=dtype)
    check(learner.call("bce_with_logits", z, y), z, y)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_soft_labels(learner, dtype):
    """soft labels in [0, 1]"""
    z = cases.randn(21, 4, 5, dtype=dtype, scale=3.0)
    y = cases.uniform(22, 4, 5, low=0.0, high=1.0, dtype=dtype)
    check(learner.call("bce_with_logits", z, y), z, y)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_logits_exactly_zero(learner, dtype):
    """logits exactly 0 cost ln 2 whatever the label"""
    z = torch.zeros(5, dtype=dtype)
    y = torch.tensor([0.0, 1.0, 0.5, 1.0, 0.0], dtype=dtype)
    check(learner.call("bce_with_logits", z, y), z, y)


EXTREMES = [(1e4, 1.0, 0.0), (1e4, 0.0, 1e4), (-1e4, 1.0, 1e4), (-1e4, 0.0, 0.0)]


def extreme_diagnosis(got: dict) -> str | None:
    """Name the mistake behind what came back at z = ±1e4: (z, y) → a number or None."""
    if all(v is not None and math.isfinite(v) for v in got.values()):
        wrong = {key: expected for key, expected in zip(got, [e for *_, e in EXTREMES], strict=True)
                 if abs(got[key] - expected) > 1.0}
        # a cap shows where the cost should be 1e4 and comes back far below it, never negative;
        # other finite mistakes (a flipped sign, a missing term) are named by the value checks
        capped = wrong and all(expected == 1e4 and 0 <= got[key] < 1e3 for key, expected in wrong.items())
        return CAPPED if capped else None
    bad = {key for key, v in got.items() if v is None or not math.isfinite(v)}
    if bad <= {(1e4, 1.0), (1e4, 0.0)}:
        return OVERFLOW
    if (-1e4, 1.0) in bad:
        return LOG_SIGMOID
    return "the loss is not finite at z = ±1e4: " + STABLE


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_logits_at_1e4(learner, dtype):
    """finite and right at z = ±1e4: (1e4, y=1) costs 0, (−1e4, y=1) costs 1e4"""
    got, outcomes = {}, []
    for z0, y0, _ in EXTREMES:
        z, y = torch.tensor([z0], dtype=dtype), torch.tensor([y0], dtype=dtype)
        outcome = learner.call("bce_with_logits", z, y)
        got[(z0, y0)] = checks.read_number(outcome.value, arrays=False)
        outcomes.append((outcome, z, y))
    why = extreme_diagnosis(got)
    if why:
        checks.fail(f"{CALL} at logits ±1e4: {why}", contract=CONTRACT,
                    inputs="logits = [1e4], [1e4], [−1e4], [−1e4] with y = [1], [0], [1], [0]",
                    expected=[e for *_, e in EXTREMES], received=list(got.values()))
    for outcome, z, y in outcomes:
        check(outcome, z, y)
    z = torch.tensor([1e4, -1e4, 1e4, -1e4, 2.5, -30.0], dtype=dtype)
    y = torch.tensor([1.0, 1.0, 0.0, 0.0, 0.3, 1.0], dtype=dtype)
    check(learner.call("bce_with_logits", z, y), z, y)


# ---------------------------------------------------------------- gradient


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_gradient(learner, dtype):
    """differentiable: its autograd gradient is (σ(z) − y)/numel"""
    z = cases.randn(31, 3, 4, dtype=dtype, scale=3.0).requires_grad_(True)
    y = labels01(32, 3, 4, dtype=dtype)
    outcome = learner.call("bce_with_logits", z, y, backward=True)
    check(outcome, z, y, differentiable=True)
    grad = outcome.args[0].grad
    if grad is None:
        checks.fail(f"backpropagating through {CALL} left no gradient on logits", contract=CONTRACT)
    checks.tensor(grad, judge.bce_grad_reference(z, y).to(dtype), call=f"the gradient of {CALL}",
                  inputs={"logits": z, "y": y}, contract=CONTRACT, n=z.numel())


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_gradient_at_1e4(learner, dtype):
    """its gradient is finite and right at z = ±1e4"""
    z = torch.tensor([1e4, 1e4, -1e4, -1e4, 3.0, -2.0], dtype=dtype, requires_grad=True)
    y = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0, 0.25], dtype=dtype)
    outcome = learner.call("bce_with_logits", z, y, backward=True)
    seen = outcome.value
    loss = checks.read_number(seen, arrays=False)
    if loss is None or not math.isfinite(loss):
        checks.fail(f"{CALL} is not finite at logits ±1e4, so neither is its gradient: use the "
                    f"stable form {STABLE}",
                    inputs={"logits": z, "y": y}, received=seen, contract=CONTRACT)
    grad = outcome.args[0].grad
    if isinstance(seen, TensorSeen) and seen.has_graph and grad is not None and (
            not torch.isfinite(grad).all()):
        checks.fail(f"{CALL} at logits ±1e4: {WHERE_NAN}", inputs={"logits": z, "y": y},
                    expected=judge.bce_grad_reference(z, y), received=grad, contract=CONTRACT)
    check(outcome, z, y, differentiable=True)
    if grad is None:
        checks.fail(f"backpropagating through {CALL} left no gradient on logits", contract=CONTRACT)
    checks.tensor(grad, judge.bce_grad_reference(z, y).to(dtype), call=f"the gradient of {CALL}",
                  inputs={"logits": z, "y": y}, contract=CONTRACT, n=6)


# ---------------------------------------------------------------- rules


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("shapes", [((4, 1), (4,)), ((4,), (4, 1)), ((3,), (4,)), ((2, 3), (3,))],
                         ids=["column-vs-vector", "vector-vs-column", "lengths", "row-broadcast"])
def test_shape_mismatch_raises(learner, shapes):
    """ValueError when the shapes differ"""
    z, y = torch.ones(shapes[0]), torch.zeros(shapes[1])
    outcome = learner.call("bce_with_logits", z, y)
    checks.raises(outcome, "ValueError", call=CALL, contract=CONTRACT,
                  inputs=f"logits of shape {shapes[0]}, y of shape {shapes[1]}",
                  why="shapes that differ would broadcast: an (N,1) column against an (N,) vector "
                      "makes an N×N table and a wrong loss")


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires-grad"])
def test_inputs_unchanged(learner, requires_grad):
    """leaves logits and y as they were"""
    z = cases.randn(41, 6, dtype=torch.float32, scale=3.0).requires_grad_(requires_grad)
    y = labels01(42, 6, dtype=torch.float32)
    outcome = learner.call("bce_with_logits", z, y)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(z, outcome.args[0], name="logits", call="bce_with_logits", contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call="bce_with_logits", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_written_without_library_losses(learner):
    """written without torch.nn, torch.nn.functional or torch.logaddexp"""
    z = cases.randn(51, 5, dtype=torch.float64, scale=3.0)
    y = labels01(52, 5, dtype=torch.float64)
    outcome = learner.call("bce_with_logits", z, y, watch=FORBIDDEN)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.written_without(learner, FORBIDDEN, outcome, call=CALL, contract=CONTRACT)
