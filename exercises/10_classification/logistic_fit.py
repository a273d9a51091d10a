"""Kata 10_classification/logistic_fit: logistic regression by gradient descent."""

import torch


def fit_logistic(X: torch.Tensor, y: torch.Tensor, lr: float,
                 epochs: int) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    """Fit p = σ(X @ w + b) to labels y by full-batch gradient descent on the mean cross-entropy.

    X has shape (N, D) and y holds N labels, 0 or 1, in X's dtype. Start from w = zeros (D,) and
    b = a 0-d zero, both in X's dtype. Each epoch:

    1. append the mean binary cross-entropy at the current (w, b) to losses, as a Python float
       (losses[i] is measured before epoch i's update);
    2. compute both gradients (as logistic_grad) from that same (w, b), then step:
       w ← w − lr·∂L/∂w and b ← b − lr·∂L/∂b. Do not update w before computing b's gradient.

    Return (w, b, losses): w of shape (D,), b 0-d, neither carrying an autograd graph. Leave X and
    y as they were. On the hours-studied data (hours as X (20, 1), lr 0.5), losses[0] = ln 2 and
    one epoch gives w = [0.253125], b = 0; 2000 epochs give b ≈ −4.0777 and w ≈ [1.5046].
    """
    raise NotImplementedError("10_classification/logistic_fit: your code goes here (see the docstring)")
