# style: a float32 tensor, g.data -= lr * g.grad, gradient set to None
import torch


def sqrt_by_descent(n, guess, lr, steps):
    g = torch.tensor(guess, requires_grad=True)  # the default dtype, float32
    for _ in range(steps):
        loss = (n - g.pow(2)).pow(2)
        loss.backward()
        g.data -= lr * g.grad
        g.grad = None
    return g.item()
