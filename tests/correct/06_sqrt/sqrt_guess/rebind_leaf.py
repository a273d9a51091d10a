# style: torch.autograd.grad and an out-of-place step that rebinds a fresh leaf every time
import torch


def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    g = torch.tensor(guess, dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        (slope,) = torch.autograd.grad((n - g**2) ** 2, g)
        g = (g - lr * slope).detach().requires_grad_()
    return float(g)
