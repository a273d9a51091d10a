# style: a train_step helper returning loss.item(), a list comprehension over epochs, SGD(foreach=False)
import torch
from torch import nn


def _train_step(w: torch.Tensor, X: torch.Tensor, y: torch.Tensor, loss_fn: nn.Module,
                optimizer: torch.optim.Optimizer) -> float:
    loss = loss_fn(w * X, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def fit_optim(X, y, lr, epochs):
    w = torch.tensor(0.0).to(X.dtype).requires_grad_()
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=lr, momentum=0.0, foreach=False)
    losses = [_train_step(w, X, y, loss_fn, optimizer) for _ in range(epochs)]
    return w.item(), losses
