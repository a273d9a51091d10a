# style: the SGD step written out, p -= lr * p.grad under torch.no_grad(), grads set to None
"""Kata 11_networks/fit_xor: train a network on XOR, the problem no linear model can solve."""

import torch
import torch.nn.functional as F


def fit_xor(model, X, y, lr, epochs):
    params = list(model.parameters())
    losses = []
    for _ in range(epochs):
        loss = F.binary_cross_entropy_with_logits(model(X), y)
        losses.append(loss.item())
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
    return losses
