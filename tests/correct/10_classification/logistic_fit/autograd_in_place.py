# style: leaves updated in place under no_grad with p.data-free autograd, gradients set to None
import torch


def fit_logistic(X, y, lr, epochs):
    w = torch.zeros(X.shape[1], dtype=X.dtype).requires_grad_()
    b = torch.tensor(0.0, dtype=X.dtype).requires_grad_()
    losses = []
    for _ in range(epochs):
        z = X @ w + b
        softplus = torch.maximum(z, torch.zeros_like(z)) + torch.log(1 + torch.exp(-torch.abs(z)))
        loss = (softplus - y * z).mean()
        losses.append(loss.item())
        gw, gb = torch.autograd.grad(loss, [w, b])
        with torch.no_grad():
            w.sub_(lr * gw)
            b.sub_(lr * gb)
    return w.detach().clone(), b.detach().clone(), losses
