# mutant: nn.MSELoss(reduction="sum"), a sum of squared errors where the mean belongs
# expect: off by a factor of N
import torch
from torch import nn


def fit_optim(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    loss_fn = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(w * X, y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.item(), losses
