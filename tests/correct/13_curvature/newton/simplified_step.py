# style: the Newton step simplified to g + g(n − g²)/(3g² − n), pow instead of products, recursion
import math


def newton_sqrt(n, guess, steps):
    if steps == 0:
        return float(guess)
    g = newton_sqrt(n, guess, steps - 1)
    denominator = 3 * g**2 - n
    if denominator == 0:
        raise ZeroDivisionError("L''(g) = 0")
    g = g + g * (n - g**2) / denominator
    if math.isnan(g) or math.isinf(g):
        raise FloatingPointError("non-finite guess")
    return g


def newton_steps_to_tol(n, guess, tol, max_steps=100):
    g = float(guess)
    for step in range(max_steps + 1):
        if math.fabs(g**2 - n) <= tol:
            return step
        if step < max_steps:
            g = newton_sqrt(n, g, 1)
    raise ArithmeticError("tolerance not reached")


def gd_steps_to_tol(n, guess, lr, tol, max_steps=100_000):
    g = float(guess)
    for step in range(max_steps + 1):
        if math.fabs(g**2 - n) <= tol:
            return step
        if step < max_steps:
            g -= lr * (-4 * g * (n - g**2))
            if not math.isfinite(g):
                raise FloatingPointError("diverged")
    raise ArithmeticError("tolerance not reached")
