# mutant: creates w and the optimizer inside the loop, so every epoch starts again from 0.0
# expect: starts again from 0.0
import torch
from torch import nn


def fit_optim(X, y, lr, epochs):
    loss_fn = nn.MSELoss()
    losses = []
    w = torch.tensor(0.0, dtype=X.dtype)
    for _ in range(epochs):
        w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=lr)
        optimizer.zero_grad()
        loss = loss_fn(w * X, y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.item(), losses
