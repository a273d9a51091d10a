# mutant: never calls optimizer.zero_grad(), so the gradients of all epochs pile up in w.grad
# expect: accumulat
import torch
from torch import nn


def fit_optim(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(epochs):
        loss = loss_fn(w * X, y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.item(), losses
