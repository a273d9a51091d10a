# style: gradient zeroed at the start of each epoch (guarded), sub_ in place, sum() / len() loss
import torch


def fit_autograd(X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int) -> tuple[float, list[float]]:
    w = torch.zeros((), dtype=X.dtype).requires_grad_()
    losses: list[float] = []
    for _ in range(epochs):
        if w.grad is not None:
            w.grad.zero_()
        loss = ((w * X - y) ** 2).sum() / len(X)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w.sub_(lr * w.grad)
    return w.item(), losses
