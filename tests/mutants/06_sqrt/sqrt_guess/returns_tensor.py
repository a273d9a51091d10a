# mutant: returns the guess as a 0-d tensor instead of a Python float
# expect: python float
import torch


def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    g = torch.tensor(guess, requires_grad=True)
    for _ in range(steps):
        loss = (n - g**2) ** 2
        loss.backward()
        with torch.no_grad():
            g -= lr * g.grad
        g.grad.zero_()
    return g.detach()
