# mutant: raises ValueError, which is no ArithmeticError, when L'' = 0 or the steps run out
# expect: should raise arithmeticerror
import math


def newton_sqrt(n, guess, steps):
    g = float(guess)
    for _ in range(steps):
        curvature = 12 * g * g - 4 * n
        if curvature == 0:
            raise ValueError("L'' = 0")
        g = g + 4 * g * (n - g * g) / curvature
        if not math.isfinite(g):
            raise ValueError("not finite")
    return g


def newton_steps_to_tol(n, guess, tol, max_steps=100):
    g = float(guess)
    for taken in range(max_steps + 1):
        if abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = newton_sqrt(n, g, 1)
    raise ValueError("not met")


def gd_steps_to_tol(n, guess, lr, tol, max_steps=100_000):
    g = float(guess)
    for taken in range(max_steps + 1):
        if abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = g + 4 * lr * g * (n - g * g)
        if not math.isfinite(g):
            raise ValueError("diverged")
    raise ValueError("not met")
