# mutant: logs the loss of the stepped w, one epoch late
# expect: record each loss before optimizer.step()
import torch
from torch import nn


def fit_optim(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss_fn(w * X, y).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss_fn(w * X, y).item())
    return w.item(), losses
