"""Hidden suite for 10_classification/cross_entropy_grad."""

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import TensorSeen
from grader.suites.shared import classification_judge as judge

CONTRACT = ("cross_entropy_grad(logits, target) -> Tensor: ∂cross_entropy/∂logits by hand: "
            "(softmax(logits) − onehot(target))/N, shape (N,C), the softmax along dim 1, the one-hot "
            "a single 1 per row at [i, target_i]; finite and right for logits up to ±1e4; inputs and "
            "ValueErrors as cross_entropy; must not modify logits")
CALL = "cross_entropy_grad(logits, target)"

NAN = ("nan or inf on the extreme rows: a softmax written as e^z / Σ e^z is inf / inf = nan at "
       "z = 1e4 (and 0 / 0 on the row [−1e4, −1e4 + 1, −1e4 + 2]). Use torch.softmax(logits, dim=1), "
       "or subtract each row's max before exponentiating")


def random_case(seed: int, n: int, c: int, dtype: torch.dtype, scale: float = 3.0):
    logits = cases.randn(seed, n, c, dtype=dtype, scale=scale)
    generator = torch.Generator().manual_seed(seed + 1)
    return logits, torch.randint(0, c, (n,), generator=generator)


def wrong_answers(logits: torch.Tensor, target: torch.Tensor) -> dict:
    z = logits.detach().double()
    n, c = z.shape
    rows = torch.arange(n)
    right_onehot = torch.zeros_like(z)
    right_onehot[rows, target] = 1.0
    softmax = torch.softmax(z, dim=1)
    wrong = {
        "the softmax is taken over dim 0 (down the batch): it must run along dim 1, so that each "
        "row of it sums to 1": (torch.softmax(z, dim=0) - right_onehot) / n,
        "the one-hot is missing: the gradient is (softmax − onehot(target))/N": softmax / n,
        f"divided by N·C = {n * c} where N = {n} belongs": (softmax - right_onehot) / (n * c),
        "the 1 was subtracted from every entry of the row, not only at [i, target_i]":
            (softmax - 1) / n,
    }
    if int(target.max()) < n:  # onehot[target] = 1 needs the class numbers to be row numbers too
        onehot = torch.zeros_like(z)
        onehot[target] = 1.0
        wrong["the one-hot has its 1s in the wrong place: onehot[target] = 1 fills whole rows; set "
              "onehot[torch.arange(N), target] = 1"] = (softmax - onehot) / n
    if n == c:
        wrong["the one-hot is transposed: its 1 goes at [i, target_i], row i, column target_i"] = (
            softmax - right_onehot.T) / n
    return wrong


def check(outcome, logits, target, **tolerance) -> TensorSeen:
    inputs = {"logits": logits, "target": target}
    hint = judge.autograd_hint(outcome)
    if hint:
        checks.fail(hint, inputs=inputs, contract=CONTRACT)
    seen = outcome.value
    expected = judge.ce_grad_reference(logits, target)
    if isinstance(seen, TensorSeen) and seen.value.is_floating_point() and (
            not torch.isfinite(seen.value).all()):
        checks.fail(f"{CALL}: {NAN}", inputs=inputs, expected=expected, received=seen.value,
                    contract=CONTRACT)
    return checks.tensor(seen, expected.to(logits.dtype), call=CALL, inputs=inputs, contract=CONTRACT,
                         n=len(logits), known=checks.OnMiss(lambda: wrong_answers(logits, target)),
                         **tolerance)


CASES = [pytest.param(dtype, n, c, id=f"{cases.dtype_id(dtype)}-{n}x{c}")
         for dtype in cases.DTYPES for n, c in [(1, 3), (8, 5), (32, 10), (4, 4)]]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, n, c", CASES)
def test_matches_torch(learner, dtype, n, c):
    """equals the autograd gradient of F.cross_entropy: (softmax − onehot)/N"""
    logits, target = random_case(511 + n, n, c, dtype)
    check(learner.call("cross_entropy_grad", logits, target), logits, target)


@pytest.mark.points(1)
@pytest.mark.rule  # a constant answer is right here: it counts once the results are
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_one_class(learner, dtype):
    """one class: the gradient is all zeros"""
    logits = cases.randn(521, 4, 1, dtype=dtype, scale=5.0)
    target = torch.zeros(4, dtype=torch.int64)
    check(learner.call("cross_entropy_grad", logits, target), logits, target)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_logits_at_1e4(learner, dtype):
    """finite and right for rows [1e4, 0, −1e4] and [−1e4, −1e4 + 1, −1e4 + 2], every target"""
    logits, target = judge.extreme_batch("mixed", dtype)
    check(learner.call("cross_entropy_grad", logits, target), logits, target)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_by_hand(learner, dtype):
    """by hand: right under torch.no_grad(), with logits that do not require grad"""
    logits, target = random_case(531, 6, 3, dtype)
    with judge.without_grad(learner):
        outcome = learner.call("cross_entropy_grad", logits, target)
    check(outcome, logits, target)


@pytest.mark.points(1)
def test_logits_require_grad(learner):
    """right when logits require grad"""
    logits, target = random_case(541, 5, 4, torch.float64)
    logits.requires_grad_(True)
    check(learner.call("cross_entropy_grad", logits, target), logits, target)


# ---------------------------------------------------------------- rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_graph(learner):
    """no autograd graph on the result when logits require grad"""
    logits, target = random_case(551, 5, 4, torch.float32)
    logits.requires_grad_(True)
    seen = check(learner.call("cross_entropy_grad", logits, target), logits, target)
    checks.no_graph(seen, call=f"{CALL} with logits requiring grad", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("case", judge.bad_targets(), ids=lambda case: case[0])
def test_bad_input_raises(learner, case):
    """ValueError for logits that are not 2-D, a target that is not int64 (N,), or outside [0, C)"""
    _, logits, target, why = case
    outcome = learner.call("cross_entropy_grad", logits, target)
    checks.raises(outcome, "ValueError", call=CALL, inputs=judge.describe(logits, target),
                  contract=CONTRACT, why=why)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires-grad"])
def test_logits_unchanged(learner, requires_grad):
    """leaves logits and target as they were"""
    logits, target = random_case(561, 5, 3, torch.float32)
    logits.requires_grad_(requires_grad)
    outcome = learner.call("cross_entropy_grad", logits, target)
    outcome.value  # noqa: B018 - surfaces an exception first
    after = outcome.args[0]
    if isinstance(after, TensorSeen) and not torch.equal(after.value, logits.detach()) and (
            after.value.shape == logits.shape):
        for what, changed in (("shifted by each row's max", logits.detach() - logits.detach().max(
                dim=1, keepdim=True).values), ("replaced by its softmax", torch.softmax(logits.detach(), 1))):
            if torch.allclose(after.value, changed):
                checks.fail(f"{CALL} changed logits in place: they were {what}. Work on new tensors "
                            "(torch.softmax(logits, dim=1) returns one), never -=, sub_() or "
                            "logits[...] = on the caller's logits", expected=logits,
                            received=after.value, contract=CONTRACT)
    checks.unchanged(logits, after, name="logits", call="cross_entropy_grad", contract=CONTRACT)
    checks.unchanged(target, outcome.args[1], name="target", call="cross_entropy_grad",
                     contract=CONTRACT)
