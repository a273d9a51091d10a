# mutant: counts the steps in a float
# expect: python int
import math


def newton_sqrt(n, guess, steps):
    g = float(guess)
    for _ in range(steps):
        curvature = 12 * g * g - 4 * n
        if curvature == 0:
            raise ZeroDivisionError("L'' = 0")
        g = g + 4 * g * (n - g * g) / curvature
        if not math.isfinite(g):
            raise OverflowError("not finite")
    return g


def newton_steps_to_tol(n, guess, tol, max_steps=100):
    g, taken = float(guess), 0.0
    while abs(g * g - n) > tol:
        if taken >= max_steps:
            raise ArithmeticError("not met")
        g = newton_sqrt(n, g, 1)
        taken += 1.0
    return taken


def gd_steps_to_tol(n, guess, lr, tol, max_steps=100_000):
    g, taken = float(guess), 0.0
    while abs(g * g - n) > tol:
        if taken >= max_steps:
            raise ArithmeticError("not met")
        g = g + 4 * lr * g * (n - g * g)
        if not math.isfinite(g):
            raise OverflowError("diverged")
        taken += 1.0
    return taken
