"""Small implementations of the training-loop katas that draw a second picture, right and wrong, so
the tests of those pictures need neither the topics' solutions nor their stubs."""

from __future__ import annotations

from pathlib import Path

from grader.manifest import Kata

LOGISTIC, XOR = "10_classification/logistic_fit", "11_networks/fit_xor"

FIT_LOGISTIC = """
import torch


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w, b = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        z = X @ w + b
        losses.append(torch.nn.functional.binary_cross_entropy_with_logits(z, y).item())
        residual = torch.sigmoid(z) - y
        w, b = w - lr * X.T @ residual / n, b - lr * residual.mean()
    return w, b, losses
"""

# wrong: the bias is never updated, so the sigmoid is stuck through σ(0) = 0.5 at 0 hours
FIT_LOGISTIC_WITHOUT_BIAS = FIT_LOGISTIC.replace("b - lr * residual.mean()", "b")

FIT_XOR = """
import torch
import torch.nn.functional as F


def fit_xor(model, X, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = F.binary_cross_entropy_with_logits(model(X), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses
"""

# wrong: it never steps, so the net stays as made (its four logits all negative)
FIT_XOR_WITHOUT_STEP = FIT_XOR.replace("        optimizer.step()\n", "")


def kata(kata_id: str) -> Kata:
    """The kata as the manifest would list it (the topics' entries may still be placeholders)."""
    return Kata(kata_id, kata_id, 1, "", ())


def write(folder: Path, kata_id: str, source: str) -> Path:
    """``source`` as the kata's file below ``folder`` (an exercises/ or solutions/ folder)."""
    path = folder / f"{kata_id}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return path
