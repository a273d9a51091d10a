"""Hidden suite for 10_classification/cross_entropy."""

import math

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen
from grader.suites.shared import classification_judge as judge

CONTRACT = ("cross_entropy(logits, target) -> Tensor: logits (N,C), target (N,) int64 class indices: "
            "mean over rows of log Σⱼ e^(z_ij) − z_i,target_i, with each row's own max subtracted "
            "first; equals F.cross_entropy; 0-d, differentiable w.r.t. logits; finite and right for "
            "logits up to ±1e4 in float32; without cross_entropy, nll_loss, softmax, log_softmax or "
            "logsumexp from torch, Tensor, torch.nn(.functional) or torch.special; ValueError when "
            "logits is not 2-D, target is not int64 of shape (N,), or a target lies outside [0, C); "
            "must not modify logits (no in-place shift)")
CALL = "cross_entropy(logits, target)"
NAMES = ("cross_entropy", "nll_loss", "softmax", "log_softmax", "logsumexp")
FORBIDDEN = (
    *(f"torch.{name}" for name in ("softmax", "log_softmax", "logsumexp")),
    *(f"Tensor.{name}" for name in ("softmax", "log_softmax", "logsumexp")),
    *(f"torch.nn.functional.{name}" for name in NAMES if name != "logsumexp"),
    *(f"torch.special.{name}" for name in ("softmax", "log_softmax", "logsumexp")),
    "torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss", "torch.nn.Softmax", "torch.nn.LogSoftmax",
)

SHIFT = ("subtract each row's own max m_i first: log Σⱼ e^(z_ij) = m_i + log Σⱼ e^(z_ij − m_i), "
         "with m = logits.max(dim=1, keepdim=True).values")
IN_PLACE = ("logits were shifted in place (logits -= max, or .sub_()): that changes the caller's "
            "tensor, and a leaf that requires grad refuses it. Subtract into a new tensor: "
            "shifted = logits - m")


def random_case(seed: int, n: int, c: int, dtype: torch.dtype, scale: float = 3.0):
    logits = cases.randn(seed, n, c, dtype=dtype, scale=scale)
    generator = torch.Generator().manual_seed(seed + 1)
    return logits, torch.randint(0, c, (n,), generator=generator)


def wrong_answers(logits: torch.Tensor, target: torch.Tensor) -> dict:
    z = logits.detach().double()
    n, c = z.shape
    rows = torch.arange(n)
    m = z.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(z - m).sum(dim=1))
    picked = z[rows, target]
    lse0 = z.max(dim=0, keepdim=True).values + torch.log(torch.exp(z - z.max(dim=0, keepdim=True).values)
                                                        .sum(dim=0, keepdim=True))
    wrong = {
        "the softmax is taken over dim 0 (down the batch): each row's log-sum-exp runs over its C "
        "classes, along dim 1": -(z - lse0)[rows, target].mean(),
        "the row max m_i was subtracted but never added back: log Σⱼ e^(z_ij) = m_i + "
        "log Σⱼ e^(z_ij − m_i)": (lse - m.squeeze(1) - picked).mean(),
        "logits[:, target] picks an N×N table, every row's logit of every row's class: pick one "
        "per row with logits[torch.arange(N), target]": (lse[:, None] - z[:, target]).mean(),
        f"divided by N·C = {n * c} where N = {n} belongs: the mean is over the rows":
            (lse - picked).sum() / (n * c),
        "the loss is log Σⱼ e^(z_ij) − z_i,target_i: the target's logit is missing": lse.mean(),
    }
    if n == c:  # a max without keepdim broadcasts along the columns only when N == C
        lse_cols = m.squeeze(1) + torch.log(torch.exp(z - m.squeeze(1)).sum(dim=1))
        wrong[judge.KEEPDIM] = (lse_cols - picked).mean()
    if int(target.max()) < n:  # onehot[target] = 1 needs the class numbers to be row numbers too
        onehot = torch.zeros_like(z)
        onehot[target] = 1.0
        wrong["the one-hot has its 1s in the wrong place: onehot[target] = 1 fills whole rows; set "
              "onehot[torch.arange(N), target] = 1"] = -(onehot * (z - lse[:, None])).sum() / n
    return wrong


def value_of(outcome):
    """outcome.value, with an in-place shift on a leaf that requires grad named."""
    raised = outcome.raised
    if raised is not None and "in-place operation" in raised.message:
        checks.fail(f"{CALL} raised {raised.describe()}: {IN_PLACE}", contract=CONTRACT)
    hint = judge.keepdim_hint(outcome)
    if hint:
        checks.fail(hint, contract=CONTRACT)
    return outcome.value


def check(outcome, logits, target, *, differentiable: bool = False, **tolerance) -> TensorSeen:
    return checks.tensor(value_of(outcome), judge.ce_reference(logits, target).to(logits.dtype),
                         call=CALL, inputs={"logits": logits, "target": target}, contract=CONTRACT,
                         n=len(logits), known=checks.OnMiss(lambda: wrong_answers(logits, target)),
                         differentiable=differentiable, **tolerance)


# ---------------------------------------------------------------- values


CASES = [pytest.param(dtype, n, c, id=f"{cases.dtype_id(dtype)}-{n}x{c}")
         for dtype in cases.DTYPES for n, c in [(1, 3), (8, 5), (32, 10), (4, 4)]]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, n, c", CASES)
def test_matches_torch(learner, dtype, n, c):
    """equals F.cross_entropy"""
    logits, target = random_case(411 + n, n, c, dtype)
    check(learner.call("cross_entropy", logits, target), logits, target)


@pytest.mark.points(1)
@pytest.mark.rule  # a 0 of the logits' dtype is right here: it counts once the results are
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_one_class(learner, dtype):
    """one class: every row costs 0"""
    logits = cases.randn(421, 4, 1, dtype=dtype, scale=5.0)
    target = torch.zeros(4, dtype=torch.int64)
    check(learner.call("cross_entropy", logits, target), logits, target)


@pytest.mark.points(1)
def test_large_offsets(learner):
    """rows far from 0 (±1000 and more, float64): the answer does not depend on the offset"""
    logits, target = random_case(431, 6, 4, torch.float64)
    offsets = torch.tensor([1000.0, -1000.0, 5000.0, -800.0, 750.0, 0.0], dtype=torch.float64)
    logits = logits + offsets[:, None]
    check(learner.call("cross_entropy", logits, target), logits, target)


def extreme_diagnosis(got: dict) -> str | None:
    """Name the mistake behind non-finite answers on the contract's extreme rows."""
    bad = {which for which, v in got.items() if v is None or not math.isfinite(v)}
    if not bad:
        return None
    if bad == {"mixed"}:
        return ("the batch shares one max: each row needs its own, or a row far below the batch's "
                "max underflows to log 0 = −inf. " + SHIFT)
    if {"high", "low"} <= bad:
        return ("e^z overflows: e^(1e4) is inf, so log Σ e^z is inf; and on the row [−1e4, −1e4 + 1, "
                "−1e4 + 2] every e^z underflows to 0, and log 0 = −inf. " + SHIFT)
    if "high" in bad:
        return ("is it a log of a softmax? The softmax of [1e4, 0, −1e4] rounds to [1, 0, 0], and "
                "log 0 = −inf. Work with log-probabilities, z_i,target_i − lse_i, never the log of a "
                "probability. " + SHIFT)
    return ("e^z underflows: every e^z of the row [−1e4, −1e4 + 1, −1e4 + 2] is 0, and log 0 = "
            "−inf. " + SHIFT)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_logits_at_1e4(learner, dtype):
    """finite and right for rows [1e4, 0, −1e4] and [−1e4, −1e4 + 1, −1e4 + 2], every target"""
    batches = {which: judge.extreme_batch(which, dtype) for which in ("high", "low", "mixed")}
    outcomes = {which: learner.call("cross_entropy", *batch) for which, batch in batches.items()}
    got = {which: checks.read_number(value_of(o), arrays=False) for which, o in outcomes.items()}
    why = extreme_diagnosis(got)
    if why:
        checks.fail(f"{CALL} on the extreme rows: {why}", contract=CONTRACT,
                    inputs="rows [1e4, 0, −1e4] (high) and [−1e4, −1e4 + 1, −1e4 + 2] (low) with "
                           "targets 0, 1, 2, each alone and mixed in one batch",
                    expected=[float(judge.ce_reference(*b)) for b in batches.values()],
                    received=list(got.values()))
    for which, (logits, target) in batches.items():
        check(outcomes[which], logits, target, atol=judge.EXTREME_ATOL[dtype])


# ---------------------------------------------------------------- gradient


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_gradient(learner, dtype):
    """differentiable: its autograd gradient is (softmax(logits) − onehot(target))/N"""
    logits, target = random_case(441, 7, 4, dtype)
    logits.requires_grad_(True)
    outcome = learner.call("cross_entropy", logits, target, backward=True)
    check(outcome, logits, target, differentiable=True)
    grad = outcome.args[0].grad
    if grad is None:
        checks.fail(f"backpropagating through {CALL} left no gradient on logits", contract=CONTRACT)
    checks.tensor(grad, judge.ce_grad_reference(logits, target).to(dtype),
                  call=f"the gradient of {CALL}", inputs={"logits": logits, "target": target},
                  contract=CONTRACT, n=7)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_gradient_at_1e4(learner, dtype):
    """its gradient is finite and right on the extreme rows"""
    logits, target = judge.extreme_batch("mixed", dtype)
    logits.requires_grad_(True)
    outcome = learner.call("cross_entropy", logits, target, backward=True)
    seen = value_of(outcome)
    loss = checks.read_number(seen, arrays=False)
    inputs = {"logits": logits, "target": target}
    if loss is None or not math.isfinite(loss):
        checks.fail(f"{CALL} is not finite on the extreme rows, so neither is its gradient: {SHIFT}",
                    inputs=inputs, received=seen, contract=CONTRACT)
    grad = outcome.args[0].grad
    expected = judge.ce_grad_reference(logits, target)
    if grad is not None and not torch.isfinite(grad).all():
        checks.fail(f"{CALL}: the loss is finite but its gradient has nan or inf in it: an "
                    "intermediate overflowed (e^(1e4) = inf) on the way, and the chain rule "
                    f"multiplied it in. {SHIFT}", inputs=inputs, expected=expected, received=grad,
                    contract=CONTRACT)
    check(outcome, logits, target, differentiable=True, atol=judge.EXTREME_ATOL[dtype])
    if grad is None:
        checks.fail(f"backpropagating through {CALL} left no gradient on logits", contract=CONTRACT)
    checks.tensor(grad, expected.to(dtype), call=f"the gradient of {CALL}", inputs=inputs,
                  contract=CONTRACT, n=6)


# ---------------------------------------------------------------- rules


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("case", judge.bad_targets(), ids=lambda case: case[0])
def test_bad_input_raises(learner, case):
    """ValueError for logits that are not 2-D, a target that is not int64 (N,), or outside [0, C)"""
    _, logits, target, why = case
    outcome = learner.call("cross_entropy", logits, target)
    checks.raises(outcome, "ValueError", call=CALL, inputs=judge.describe(logits, target),
                  contract=CONTRACT, why=why)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires-grad"])
def test_logits_unchanged(learner, requires_grad):
    """leaves logits and target as they were (no in-place shift)"""
    logits, target = random_case(451, 5, 3, torch.float32)
    logits.requires_grad_(requires_grad)
    outcome = learner.call("cross_entropy", logits, target)
    value_of(outcome)
    after = outcome.args[0]
    if isinstance(after, TensorSeen) and after.value.shape == logits.shape:
        shifted = logits.detach() - logits.detach().max(dim=1, keepdim=True).values
        if not torch.equal(after.value, logits.detach()) and torch.allclose(after.value, shifted):
            checks.fail(f"{CALL}: {IN_PLACE}", expected=logits, received=after.value, contract=CONTRACT)
    checks.unchanged(logits, after, name="logits", call="cross_entropy", contract=CONTRACT)
    checks.unchanged(target, outcome.args[1], name="target", call="cross_entropy", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_written_without_library_functions(learner):
    """written without torch's cross_entropy, nll_loss, softmax, log_softmax or logsumexp"""
    logits, target = random_case(461, 5, 4, torch.float64)
    outcome = learner.call("cross_entropy", logits, target, watch=FORBIDDEN)
    value_of(outcome)
    checks.written_without(learner, FORBIDDEN, outcome, call=CALL, contract=CONTRACT)
