# mutant: with torch tensors a division by L'' = 0 gives inf or nan, and nothing checks for it
# expect: should raise arithmeticerror
import torch


def newton_sqrt(n, guess, steps):
    g = torch.tensor(float(guess), dtype=torch.float64)
    for _ in range(steps):
        g = g + 4 * g * (n - g * g) / (12 * g * g - 4 * n)
    return g.item()


def newton_steps_to_tol(n, guess, tol, max_steps=100):
    g = float(guess)
    for taken in range(max_steps + 1):
        if abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = newton_sqrt(n, g, 1)
    raise ArithmeticError("not met")


def gd_steps_to_tol(n, guess, lr, tol, max_steps=100_000):
    g = float(guess)
    for taken in range(max_steps + 1):
        if abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = g + 4 * lr * g * (n - g * g)
    raise ArithmeticError("not met")
