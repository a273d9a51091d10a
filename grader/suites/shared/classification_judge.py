"""Judge logic shared by the 10_classification suites.

References are torch's own functions in float64 (``F.binary_cross_entropy_with_logits``,
``F.cross_entropy`` and their autograd gradients); tests/test_published_numbers_05_10_11.py checks
them against the closed forms here. ``fit_run`` is logistic_fit's float64 reference in numpy; its
keywords replay the classic mistakes. ``without_grad`` runs a kata's next calls under
torch.no_grad() learner-side: the contract's "by hand".
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario
from grader.sandbox.seam import SeamError

# The hours-studied data (Wikipedia, "Logistic regression"): 20 students, hours studied and passed.
HOURS = [0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00, 3.25, 3.50, 4.00,
         4.25, 4.50, 4.75, 5.00, 5.50]
PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]


def hours_data(dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """X = hours as a (20, 1) column, y = passed, both in dtype."""
    return torch.tensor(HOURS, dtype=dtype)[:, None], torch.tensor(PASSED, dtype=dtype)


# ---------------------------------------------------------------- grad mode, learner-side


@contextmanager
def without_grad(learner) -> Iterator[None]:
    """The kata's calls inside run under torch.no_grad() in the learner process."""
    learner.make(Scenario("set_grad_enabled", {"enabled": False}))
    try:
        yield
    finally:
        try:
            learner.make(Scenario("set_grad_enabled", {"enabled": True}))
        except SeamError:  # the process is gone: a fresh one starts with grad mode on
            pass


KEEPDIM = ("the row max has shape (N,), and an (N,) vector lines up with the columns of an (N, C) "
           "matrix, not its rows: keep it (N, 1) with max(dim=1, keepdim=True)")


def autograd_hint(outcome) -> str | None:
    """What an exception raised under torch.no_grad() says about a kata that is not by hand."""
    raised = outcome.raised
    if raised is None:
        return None
    if ("does not require grad" in raised.message or "does not have a grad_fn" in raised.message
            or "One of the differentiated Tensors" in raised.message):
        return (f"{outcome.function} raised {raised.describe()}: it uses autograd, and by hand means "
                "without it: the kata may be called under torch.no_grad() with inputs that do not "
                "require grad. Write the gradient as the formula")
    return keepdim_hint(outcome)


def keepdim_hint(outcome) -> str | None:
    """An (N,)-against-(N, C) broadcasting error, named."""
    raised = outcome.raised
    if raised is not None and "must match the size of tensor" in raised.message:
        return f"{outcome.function} raised {raised.describe()}: {KEEPDIM}"
    return None


# ---------------------------------------------------------------- float64 references


def sigmoid64(z: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(z.detach().double())


def bce_reference(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """torch's own BCE-with-logits in float64, as a 0-d float64 tensor."""
    return F.binary_cross_entropy_with_logits(logits.detach().double(), y.detach().double())


def bce_closed_form(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    z, t = logits.detach().double(), y.detach().double()
    return (z.clamp(min=0) - t * z + torch.log1p(torch.exp(-z.abs()))).mean()


def bce_grad_reference(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """(σ(z) − y)/numel in float64: the gradient of the mean BCE w.r.t. the logits."""
    return (sigmoid64(logits) - y.detach().double()) / logits.numel()


def ce_reference(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """torch's own cross-entropy in float64, as a 0-d float64 tensor."""
    return F.cross_entropy(logits.detach().double(), target)


def ce_closed_form(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    z = logits.detach().double()
    m = z.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(z - m).sum(dim=1))
    return (lse - z[torch.arange(len(z)), target]).mean()


def ce_grad_reference(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The autograd gradient of torch's cross-entropy, in float64."""
    z = logits.detach().double().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(z, target), z)
    return grad


def ce_grad_closed_form(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    z = logits.detach().double()
    onehot = torch.zeros_like(z)
    onehot[torch.arange(len(z)), target] = 1.0
    return (torch.softmax(z, dim=1) - onehot) / len(z)


def logistic_grad_reference(X, y, w, b) -> tuple[torch.Tensor, torch.Tensor]:
    """The autograd gradient of torch's BCE-with-logits of X@w + b, in float64."""
    w64 = w.detach().double().requires_grad_(True)
    b64 = b.detach().double().requires_grad_(True)
    loss = F.binary_cross_entropy_with_logits(X.detach().double() @ w64 + b64, y.detach().double())
    gw, gb = torch.autograd.grad(loss, (w64, b64))
    return gw, gb


def logistic_grad_closed_form(X, y, w, b) -> tuple[torch.Tensor, torch.Tensor]:
    X64 = X.detach().double()
    r = sigmoid64(X64 @ w.detach().double() + b.detach().double()) - y.detach().double()
    return X64.T @ r / len(X64), r.mean()


# ---------------------------------------------------------------- extreme logits

# The contract's rows: finite and right up to ±1e4 in float32.
EXTREME_ROWS = [[1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4 + 2]]


def extreme_batch(which: str, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """(logits, target) of the contract's extreme rows: "high" is [1e4, 0, −1e4] once per target
    class, "low" is [−1e4, −1e4 + 1, −1e4 + 2] once per target class, "mixed" both rows in one
    batch (one max for the whole batch fails it)."""
    high, low = EXTREME_ROWS
    rows = {"high": [high] * 3, "low": [low] * 3, "mixed": [high, low, high, low, high, low]}[which]
    target = {"high": [0, 1, 2], "low": [0, 1, 2], "mixed": [0, 0, 1, 1, 2, 2]}[which]
    return torch.tensor(rows, dtype=dtype), torch.tensor(target)


# A float32 logit near 1e4 is held to within 5e-4 (its spacing there is 1e-3), so a right answer
# computed in float32 may differ from the float64 reference by about that much.
EXTREME_ATOL = {torch.float32: 2e-3, torch.float64: 1e-9}


# ---------------------------------------------------------------- target checks (cross_entropy, _grad)


def bad_targets() -> list[tuple[str, torch.Tensor, object, str]]:
    """(id, logits, target, why it must be refused) for the ValueErrors of cross_entropy(_grad)."""
    logits = cases.randn(1101, 4, 3, dtype=torch.float32)
    good = torch.tensor([0, 2, 1, 2])
    onehot = F.one_hot(good, 3).float()
    probs = torch.softmax(cases.randn(1102, 4, 3, dtype=torch.float32), dim=1)
    return [
        ("float-indices", logits, good.float(),
         "a float target is not a class index: the target must be an int64 tensor; accepting "
         "floats lets a one-hot or a probability slip through"),
        ("float-one-hot", logits, onehot,
         "a float one-hot target (N, C) is an error: the target holds class indices, int64, shape (N,)"),
        ("probabilities", logits, probs,
         "a probability target (N, C) is an error: the target holds class indices, int64, shape (N,)"),
        ("int32", logits, good.int(), "the target must be int64 (torch.long), not int32"),
        ("column", logits, good[:, None], "a target of shape (N, 1) must be refused: it must be (N,)"),
        ("too-short", logits, good[:3], "a target of 3 entries for 4 rows must be refused"),
        ("minus-one", logits, torch.tensor([0, -1, 1, 2]),
         "a target of −1 lies outside [0, C): Python's negative indexing would silently pick the "
         "last class"),
        ("equal-to-C", logits, torch.tensor([0, 3, 1, 2]), "a target equal to C = 3 lies outside [0, C)"),
        ("logits-1d", logits[0], torch.tensor([1]), "logits must be 2-D, (N, C); a 1-D row is refused"),
        ("logits-3d", logits[None], good[None], "logits must be 2-D, (N, C); a 3-D tensor is refused"),
    ]


def describe(logits: torch.Tensor, target) -> str:
    kind = (f"{str(target.dtype).removeprefix('torch.')} target of shape {tuple(target.shape)} = "
            f"{checks.fmt(target)}" if isinstance(target, torch.Tensor) else repr(target))
    return f"logits of shape {tuple(logits.shape)}, {kind}"


# ---------------------------------------------------------------- logistic_fit's reference


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow at any z


def _bce(z: np.ndarray, t: np.ndarray) -> float:
    """The mean BCE of logits z, in the stable form."""
    return float(np.mean(np.maximum(z, 0) - t * z + np.log1p(np.exp(-np.abs(z)))))


def fit_run(X, y, lr: float, epochs: int, *, after: bool = False, stale: bool = False,
            mse_factor: float = 0.0, grad_scale: float = 1.0, sign: float = 1.0,
            frozen_b: bool = False, loss_scale: float = 1.0) -> tuple[np.ndarray, float, list[float]]:
    """logistic_fit's loop in float64: (w, b, losses). The keywords replay classic mistakes:
    ``after`` records each loss after the update; ``stale`` computes b's gradient after w moved;
    ``mse_factor`` multiplies p − y by mse_factor·p(1 − p) (the MSE-through-sigmoid gradient);
    ``grad_scale`` scales both gradients (N: a sum); ``sign`` −1 climbs; ``frozen_b`` never moves b;
    ``loss_scale`` scales the recorded losses."""
    x = (X.detach().double().numpy() if isinstance(X, torch.Tensor) else np.asarray(X, np.float64))
    t = (y.detach().double().numpy() if isinstance(y, torch.Tensor) else np.asarray(y, np.float64))
    n, d = x.shape
    w, b, losses = np.zeros(d), 0.0, []

    def residual(z: np.ndarray) -> np.ndarray:
        p = _sigmoid(z)
        r = p - t
        return r * mse_factor * p * (1 - p) if mse_factor else r

    for _ in range(epochs):
        z = x @ w + b  # once per epoch: the loss and both gradients read it
        if not after:
            losses.append(loss_scale * _bce(z, t))
        r = residual(z)
        new_w = w - sign * lr * grad_scale * (x.T @ r) / n
        rb = residual(x @ new_w + b) if stale else r
        new_b = b if frozen_b else b - sign * lr * grad_scale * float(np.mean(rb))
        w, b = new_w, new_b
        if after:
            losses.append(loss_scale * _bce(x @ w + b, t))
    return w, b, losses


def fit_mistakes(n: int) -> dict[str, dict]:
    """logistic_fit's classic mistakes, tried in this order: label → fit_run keywords."""
    known = {
        "losses[i] is recorded after epoch i's update: append the loss at (w, b) before you step":
            {"after": True},
        "b's gradient was computed after w had already moved (a stale/new mix): compute both "
        "gradients from the same old (w, b), then update both": {"stale": True},
        "the gradient has a p(1 − p) factor: that is the gradient of the squared error through the "
        "sigmoid; the cross-entropy's gradient is Xᵀ(p − y)/N and mean(p − y)": {"mse_factor": 1.0},
        "the gradient has a 2·p(1 − p) factor: that is the gradient of the mean squared error "
        "through the sigmoid; the cross-entropy's gradient is Xᵀ(p − y)/N and mean(p − y)":
            {"mse_factor": 2.0},
        "the update climbs the loss: step against the gradient, w ← w − lr·∂L/∂w": {"sign": -1.0},
        "b never moves: update it too, b ← b − lr·mean(p − y)": {"frozen_b": True},
    }
    if n > 1:
        known[f"the gradients are off by a factor of N = {n}: a sum where the mean belongs "
              "(Xᵀ(p − y)/N and mean(p − y))"] = {"grad_scale": float(n)}
        known[f"the losses are off by a factor of N = {n}: record the mean cross-entropy, not the "
              "sum"] = {"loss_scale": float(n)}
    return known


def finite(values) -> bool:
    return all(math.isfinite(v) for v in values)
