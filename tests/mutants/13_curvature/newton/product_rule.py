# mutant: L''(g) = 4g² − 4n: differentiates −4g(n − g²) without the product rule's second term
# expect: product rule
import math


def newton_sqrt(n, guess, steps):
    g = float(guess)
    for _ in range(steps):
        curvature = 4 * g * g - 4 * n
        if curvature == 0:
            raise ZeroDivisionError("L'' = 0")
        g = g + 4 * g * (n - g * g) / curvature
        if not math.isfinite(g):
            raise OverflowError("not finite")
    return g


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
        if not math.isfinite(g):
            raise OverflowError("diverged")
    raise ArithmeticError("not met")
