"""Small implementations of the katas whose seed run draws a picture, right and wrong, so the tests
of those pictures need neither the topics' solutions nor their stubs."""

from __future__ import annotations

from pathlib import Path

from grader.manifest import Kata

LOGISTIC, XOR = "10_classification/logistic_fit", "11_networks/fit_xor"
ADAM_ID, CRITICAL_LR_ID, EARLY_STOPPING_ID = ("12_optimizers/adam", "13_curvature/critical_lr",
                                              "14_generalization/early_stopping")

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


ADAM = """
import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = list(params), lr, betas, eps
        self.state = [[0, torch.zeros_like(p), torch.zeros_like(p)] for p in self.params]

    def step(self):
        beta1, beta2 = self.betas
        with torch.no_grad():
            for p, state in zip(self.params, self.state):
                if p.grad is None:
                    continue
                state[0] += 1
                state[1] = beta1 * state[1] + (1 - beta1) * p.grad
                state[2] = beta2 * state[2] + (1 - beta2) * p.grad ** 2
                m_hat, v_hat = state[1] / (1 - beta1 ** state[0]), state[2] / (1 - beta2 ** state[0])
                p -= self.lr * m_hat / (v_hat.sqrt() + self.eps)

    def zero_grad(self):
        for p in self.params:
            p.grad = None
"""

# wrong: m and v are not corrected for starting at zero, so the first steps are too long
ADAM_WITHOUT_BIAS_CORRECTION = ADAM.replace("state[1] / (1 - beta1 ** state[0])", "state[1]").replace(
    "state[2] / (1 - beta2 ** state[0])", "state[2]")

# wrong: it steps outside torch.no_grad(), and autograd refuses to change a leaf in place
ADAM_WITHOUT_NO_GRAD = ADAM.replace("        with torch.no_grad():\n", "        if True:\n")

CRITICAL_LR = """
import math

import torch


def mse_hessian(X):
    X = X.detach()
    return 2.0 / X.shape[0] * X.T @ X


def critical_lr(X):
    top = torch.linalg.eigvalsh(mse_hessian(X).double())[-1].item()
    return math.inf if top <= 0 else 2.0 / top
"""

# wrong: 1/λmax, half the critical lr (both runs converge); 2/λmin, far above it (both diverge)
CRITICAL_LR_ONE_OVER_LAMBDA = CRITICAL_LR.replace("2.0 / top", "1.0 / top")
CRITICAL_LR_SMALLEST = CRITICAL_LR.replace("[-1].item()", "[0].item()")

EARLY_STOPPING = """
import copy


def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    losses, best_epoch, waited = [], 0, 0
    for epoch in range(max_epochs):
        train_epoch()
        losses.append(float(val_loss()))
        if epoch == 0 or losses[-1] < losses[best_epoch]:
            best_epoch, waited, best_state = epoch, 0, copy.deepcopy(model.state_dict())
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_state)
    return best_state, best_epoch, losses
"""

# wrong: the best weights are kept but never loaded back; it waits one epoch too many
EARLY_STOPPING_WITHOUT_LOAD = EARLY_STOPPING.replace("    model.load_state_dict(best_state)\n", "")
EARLY_STOPPING_LATE = EARLY_STOPPING.replace("waited >= patience", "waited > patience")
