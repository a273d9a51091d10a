# style: torch.nn.functional.binary_cross_entropy_with_logits, autograd and torch.optim.SGD
import torch
import torch.nn.functional as F


def fit_logistic(X: torch.Tensor, y: torch.Tensor, lr: float,
                 epochs: int) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
    b = torch.zeros((), dtype=X.dtype, requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(X @ w + b, y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.detach(), b.detach(), losses
