"""Kata 13_curvature/newton: Newton's method against gradient descent on the square-root loss."""

import math  # noqa: F401 - the stub does not use it yet; your solution may


def newton_sqrt(n: float, guess: float, steps: int) -> float:
    """Take `steps` Newton steps on the loss L(g) = (n − g²)² of 06_sqrt; return the last guess.

    Gradient descent moves by a step size you pick; Newton's method divides by the curvature:

        g ← g − L'(g) / L''(g),   L'(g) = −4g(n − g²),   L''(g) = 12g² − 4n.

    (Work them out by hand, or get them by double backward.) Use Python floats (float64).

    - Raise ArithmeticError (or any subclass: ZeroDivisionError, OverflowError, ...) when L''(g) = 0
      in a step (the step is undefined), and when the guess becomes non-finite (inf or nan).
    - Return the guess as a Python float.

    Example: n = 5, guess 4: one step gives 128/43 = 2.976744. Careful: this is Newton's method on
    the loss L, not on g² − n, whose step (Heron's, (g + n/g)/2) would give 2.625.
    """
    ### BEGIN SOLUTION
    g = float(guess)
    for _ in range(steps):
        curvature = 12.0 * g * g - 4.0 * n
        if curvature == 0.0:
            raise ZeroDivisionError(f"L''({g}) = 0: the Newton step is undefined")
        g = g - (-4.0 * g * (n - g * g)) / curvature
        if not math.isfinite(g):
            raise OverflowError(f"the guess became {g}")
    return g
    ### END SOLUTION


def newton_steps_to_tol(n: float, guess: float, tol: float, max_steps: int = 100) -> int:
    """Count the Newton steps (as in newton_sqrt) taken from guess until abs(g² − n) ≤ tol.

    Test the tolerance before every step: a guess that already meets it takes 0 steps.

    - Raise ArithmeticError (any subclass) as newton_sqrt does (L''(g) = 0, a non-finite guess),
      and when tol is still not met after max_steps steps.

    Example: n = 5, guess 4, tol 1e-10: 6 steps. From guess 1.0 Newton cycles 1 → −1 → 1 → …
    and never gets there: ArithmeticError.
    """
    ### BEGIN SOLUTION
    g = float(guess)
    for taken in range(max_steps + 1):
        if abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = newton_sqrt(n, g, 1)
    raise ArithmeticError(f"abs(g² − n) ≤ {tol} not met within {max_steps} Newton steps")
    ### END SOLUTION


def gd_steps_to_tol(n: float, guess: float, lr: float, tol: float, max_steps: int = 100_000) -> int:
    """Count the gradient-descent steps g ← g − lr·L'(g) taken from guess until abs(g² − n) ≤ tol.

    The same loss and the same counting as newton_steps_to_tol: the tolerance is tested before
    every step (0 when the guess already meets it).

    - Raise ArithmeticError (any subclass) when the guess becomes non-finite (the steps diverge)
      and when tol is still not met after max_steps steps.

    Example: n = 5, guess 4, tol 1e-10: 39 steps at lr 0.01, 594 at lr 0.001, and at lr 0.06 the
    guess diverges: 0.06 is far above 2/L''(4) = 0.0116, and above 2/L''(√5) = 0.05 too, so each
    step overshoots further than the last.
    """
    ### BEGIN SOLUTION
    g = float(guess)
    for taken in range(max_steps + 1):
        if abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = g - lr * (-4.0 * g * (n - g * g))
        if not math.isfinite(g):
            raise OverflowError(f"the guess became {g} after {taken + 1} steps at lr {lr}")
    raise ArithmeticError(f"abs(g² − n) ≤ {tol} not met within {max_steps} steps at lr {lr}")
    ### END SOLUTION
