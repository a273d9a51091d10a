# mutant: predicts with X as a column, so ŷ is (N, 1) and nn.MSELoss broadcasts it against y (N,)
# expect: broadcasts against y
import torch
from torch import nn


def fit_optim(X, y, lr, epochs):
    w = torch.zeros(1, dtype=X.dtype, requires_grad=True)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(X.unsqueeze(1) * w, y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.item(), losses
