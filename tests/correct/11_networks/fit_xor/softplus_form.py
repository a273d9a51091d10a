# style: the loss as softplus(z) - y z (same values and gradients, σ(0) − y at 0), set_to_none zeroing
"""Kata 11_networks/fit_xor: train a network on XOR, the problem no linear model can solve."""

import torch
import torch.nn.functional as F


def fit_xor(model, X, y, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad(set_to_none=True)
        z = model(X)
        loss = (F.softplus(z) - y * z).mean()
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return losses
