"""Public tests for 06_sqrt/sqrt_guess. Run them with: pytest exercises/06_sqrt/test_sqrt_guess.py"""

import math

import pytest
from sqrt_guess import sqrt_by_descent


def descend(n, guess, lr, steps, *, factor=1.0, accumulate=False):
    """Gradient descent on (n − g²)² in Python floats, with the gradient −4g(n − g²) by hand.
    The keywords make the classic slips: a wrong factor, or gradients that pile up."""
    g, total = float(guess), 0.0
    for _ in range(steps):
        step = factor * -4 * g * (n - g * g)
        total = total + step if accumulate else step
        g = g - lr * total
    return g


def close(got, want):
    """Within float32 rounding: float32 and float64 arithmetic are both fine here."""
    return math.isfinite(got) and abs(got - want) <= 2e-4 * abs(want) + 2e-6 * max(1.0, abs(want))


def diagnosis(got, n, guess, lr, steps):
    """What a wrong final guess most likely means."""
    want = descend(n, guess, lr, steps)
    if not math.isfinite(got) or abs(got) > 1e6 * max(1.0, abs(want)):
        return ("the descent diverged (the guess ran off to a huge number, inf or nan): step against "
                "the gradient, guess − lr·gradient, with the gradient −4g(n − g²)")
    known = {
        "the gradient accumulates across steps: clear guess.grad after each update "
        "(guess.grad.zero_() or guess.grad = None)": descend(n, guess, lr, steps, accumulate=True),
        "the factor 2 is missing: d/dg (n − g²)² = 2(n − g²)·(−2g) = −4g(n − g²)":
            descend(n, guess, lr, steps, factor=0.5),
        "the factor 2 is doubled: d/dg (n − g²)² = −4g(n − g²)": descend(n, guess, lr, steps, factor=2.0),
        "the sign of the step is flipped: go against the gradient, guess − lr·gradient":
            descend(n, guess, lr, steps, factor=-1.0),
        "that is the starting guess: the updates never reached the number you returned": float(guess),
    }
    for label, wrong in known.items():
        if math.isfinite(wrong) and close(got, wrong):
            return label
    if close(-got, want):
        return "you landed on the other root (the sign of the guess is flipped)"
    return f"the guess is off by {abs(got - want):.3g}"


def check(n, guess, lr, steps):
    got = float(sqrt_by_descent(n, guess, lr, steps))  # the type has its own test
    want = descend(n, guess, lr, steps)
    assert close(got, want), (
        f"sqrt_by_descent(n={n:g}, guess={guess:g}, lr={lr:g}, steps={steps}) should be {want:.6g}, "
        f"got {got!r}: {diagnosis(got, n, guess, lr, steps)}")


def test_returns_a_python_float():
    result = sqrt_by_descent(5.0, 4.0, 0.01, 20)
    assert type(result) is float, (
        f"sqrt_by_descent should return the guess as a Python float; it returned a "
        f"{type(result).__name__} ({result!r}). A tensor's .item() gives a Python float"
    )


def test_square_root_of_five():
    check(5.0, 4.0, 0.01, 20)
    result = float(sqrt_by_descent(5.0, 4.0, 0.01, 20))
    assert abs(result - 2.23607) <= 5e-6, (
        f"sqrt_by_descent(n=5, guess=4, lr=0.01, steps=20) should be 2.23607 to 5 decimals "
        f"(√5 = 2.2360679…), got {result}")


def test_each_step_uses_the_gradient():
    # one step: (guess − result)/lr is the gradient the step used; d/dg (5 − g²)² = −4g(5 − g²) = 176 at g = 4
    for n, guess, lr in [(5.0, 4.0, 0.01), (2.0, -3.0, 0.01)]:
        got = float(sqrt_by_descent(n, guess, lr, 1))
        used, right = (guess - got) / lr, -4 * guess * (n - guess**2)
        ratio = used / right
        if abs(ratio - 0.5) < 1e-3:
            why = "the factor 2 is missing: d/dg (n − g²)² = 2(n − g²)·(−2g) = −4g(n − g²)"
        elif abs(ratio - 2) < 1e-3:
            why = "the factor 2 is doubled: d/dg (n − g²)² = −4g(n − g²)"
        elif abs(ratio + 1) < 1e-3:
            why = "the sign of the step is flipped: go against the gradient, guess − lr·gradient"
        else:
            why = "check the derivative −4g(n − g²) and the step guess − lr·gradient"
        assert close(got, guess - lr * right), (
            f"one step from guess {guess:g} (n = {n:g}, lr = {lr:g}) should give {guess - lr * right:.6g}, "
            f"got {got!r}: the step used the gradient {used:.6g} where −4g(n − g²) = {right:.6g}: {why}")
    # two steps: the second uses its own gradient, not the sum of both (backward() adds into .grad)
    check(5.0, 4.0, 0.01, 2)


@pytest.mark.parametrize("n, guess, lr, steps", [
    (5.0, -4.0, 0.01, 20),    # a negative start finds the negative root
    (2.0, 1.0, 0.05, 10),
    (0.25, 1.5, 0.1, 15),
    (9.0, 2.0, 0.005, 5),     # few steps: not there yet
    (1e4, 90.0, 2e-6, 30),    # large numbers
])
def test_other_numbers(n, guess, lr, steps):
    check(n, guess, lr, steps)

