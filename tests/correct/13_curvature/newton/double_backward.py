# style: L' and L'' by double backward on float64 tensors, torch.isfinite, a custom error class
import torch


class NewtonFailed(ArithmeticError):
    pass


def _derivatives(n, g):
    x = torch.tensor(g, dtype=torch.float64, requires_grad=True)
    loss = (n - x**2) ** 2
    (first,) = torch.autograd.grad(loss, x, create_graph=True)
    (second,) = torch.autograd.grad(first, x)
    return first.item(), second.item()


def newton_sqrt(n, guess, steps):
    g = float(guess)
    for _ in range(steps):
        first, second = _derivatives(n, g)
        if second == 0:
            raise NewtonFailed(f"L''({g}) is zero")
        g = g - first / second
        if not torch.isfinite(torch.tensor(g)):
            raise NewtonFailed("the guess is not finite")
    return g


def newton_steps_to_tol(n, guess, tol, max_steps=100):
    g, steps = float(guess), 0
    while abs(g * g - n) > tol:
        if steps == max_steps:
            raise NewtonFailed(f"no convergence in {max_steps} steps")
        g = newton_sqrt(n, g, 1)
        steps += 1
    return steps


def gd_steps_to_tol(n, guess, lr, tol, max_steps=100_000):
    g, steps = float(guess), 0
    while abs(g * g - n) > tol:
        if steps == max_steps:
            raise NewtonFailed(f"no convergence in {max_steps} steps")
        first, _ = _derivatives(n, g)
        g = g - lr * first
        if not torch.isfinite(torch.tensor(g)):
            raise NewtonFailed("diverged")
        steps += 1
    return steps
