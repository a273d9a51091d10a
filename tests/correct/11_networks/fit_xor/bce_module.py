# style: nn.BCEWithLogitsLoss(), model.zero_grad(set_to_none=False) at the top of each epoch
"""Kata 11_networks/fit_xor: train a network on XOR, the problem no linear model can solve."""

import torch
from torch import nn


def fit_xor(model, X, y, lr, epochs):
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr)
    history = []
    for _ in range(epochs):
        model.zero_grad(set_to_none=False)
        loss = criterion(model(X), y)
        loss.backward()
        history.append(float(loss.detach()))
        opt.step()
    return history
