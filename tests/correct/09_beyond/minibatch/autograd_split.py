# style: autograd per batch, order.split(batch_size), index_select, returns a.detach()
import torch


def minibatch_sgd(X, y, batch_size, lr, epochs, generator):
    a = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=generator)
        for rows in order.split(batch_size):
            xb, yb = X.index_select(0, rows), y.index_select(0, rows)
            loss = ((xb @ a - yb) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                a -= lr * a.grad
            a.grad = None
        with torch.no_grad():
            losses.append(((X @ a - y) ** 2).mean().item())
    return a.detach(), losses
