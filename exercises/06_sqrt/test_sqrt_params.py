"""Public tests for 06_sqrt/sqrt_params. Run them with: pytest exercises/06_sqrt/test_sqrt_params.py"""

import math

import pytest
from sqrt_params import sqrt_shift, sqrt_shift_scale


def descend(n, x, lr, steps, *, with_scale, factor=1.0, accumulate=False, scale_input=True, order=None):
    """Plain gradient descent on (n − guess²)², guess = x·scale + shift, both starting at 1.0, in
    Python floats. Returns (guesses before the first update and after each one, scale, shift).
    The keywords make the classic slips; `order` updates one parameter before the other's
    gradient is taken."""
    scale, shift, total_a, total_b = 1.0, 1.0, 0.0, 0.0
    guesses = [x * scale + shift]
    for _ in range(steps):
        if order is None:  # both gradients at the same point, then both updates
            g = factor * -4 * (x * scale + shift) * (n - (x * scale + shift) ** 2)  # dLoss/dguess
            da = g * (x if scale_input else 1.0) if with_scale else 0.0  # d guess/d scale = x
            db = g  # d guess/d shift = 1
            if accumulate:
                total_a, total_b = total_a + da, total_b + db
                da, db = total_a, total_b
            scale, shift = scale - lr * da, shift - lr * db
        else:
            for which in order:
                g = -4 * (x * scale + shift) * (n - (x * scale + shift) ** 2)
                if which == "scale":
                    scale -= lr * g * x
                else:
                    shift -= lr * g
        guesses.append(x * scale + shift)
    return guesses, scale, shift


def close(got, want):
    """Within float32 rounding: float32 and float64 arithmetic are both fine here."""
    return math.isfinite(got) and abs(got - want) <= 2e-4 * abs(want) + 2e-6 * max(1.0, abs(want))


def diagnosis(fn, got, n, x, lr, steps):
    with_scale = fn is sqrt_shift_scale
    guesses, scale, shift = descend(n, x, lr, steps, with_scale=with_scale)
    want = guesses[-1]
    if not math.isfinite(got) or abs(got) > 1e6 * max(1.0, abs(want)):
        return ("the descent diverged (the guess ran off to a huge number, inf or nan): step against "
                "the gradient, with the gradient −4·guess·(n − guess²)·d guess/d parameter")
    known = {
        "that is the final shift, not the guess: return the guess made with the final parameters": shift,
        "the gradient accumulates across steps: clear the parameters' .grad after each update":
            descend(n, x, lr, steps, with_scale=with_scale, accumulate=True)[0][-1],
        "that is the guess from before the last update: return the guess computed with the updated "
        "parameters": guesses[-2],
        "the factor 2 is missing: d/dguess (n − guess²)² = −4·guess·(n − guess²)":
            descend(n, x, lr, steps, with_scale=with_scale, factor=0.5)[0][-1],
        "the sign of the step is flipped: go against the gradient, parameter − lr·gradient":
            descend(n, x, lr, steps, with_scale=with_scale, factor=-1.0)[0][-1],
    }
    if with_scale:
        known.update({
            "that is the final scale, not the guess: return the guess made with the final parameters": scale,
            "only shift learned: scale must descend too (guess = input_val·scale + shift)":
                descend(n, x, lr, steps, with_scale=False)[0][-1],
            "the scale's gradient is missing the factor input_val (d guess / d scale = input_val)":
                descend(n, x, lr, steps, with_scale=True, scale_input=False)[0][-1],
        })
        for first, second in [("scale", "shift"), ("shift", "scale")]:
            known[f"{first} was updated before {second}'s gradient was taken: compute both gradients at "
                  "the same point, then update both"] = descend(n, x, lr, steps, with_scale=True,
                                                                order=(first, second))[0][-1]
    for label, wrong in known.items():
        if math.isfinite(wrong) and close(got, wrong):
            return label
    if close(-got, want):
        return "you landed on the other root (the sign of the guess is flipped)"
    return f"the guess is off by {abs(got - want):.3g}"


def check(fn, n, x, lr, steps):
    got = float(fn(n, x, lr, steps))  # the type has its own test
    want = descend(n, x, lr, steps, with_scale=fn is sqrt_shift_scale)[0][-1]
    assert close(got, want), (
        f"{fn.__name__}(n={n:g}, input_val={x:g}, lr={lr:g}, steps={steps}) should be {want:.6g}, got "
        f"{got!r}: {diagnosis(fn, got, n, x, lr, steps)}")
    return got


def test_return_python_floats():
    for fn in (sqrt_shift, sqrt_shift_scale):
        result = fn(5.0, 4.0, 0.0005, 20)
        assert type(result) is float, (
            f"{fn.__name__} should return the guess as a Python float; it returned a "
            f"{type(result).__name__} ({result!r}). A tensor's .item() gives a Python float")


def test_one_step_each():
    # the guess starts at 4·1 + 1 = 5; dLoss/dguess = −4·5·(5 − 25) = 400
    check(sqrt_shift, 5.0, 4.0, 0.001, 1)        # shift 1 → 1 − 0.001·400 = 0.6: guess 4.6
    check(sqrt_shift_scale, 5.0, 4.0, 0.001, 1)  # scale 1 → 1 − 0.001·400·4 = −0.6, shift → 0.6: −1.8
    check(sqrt_shift_scale, 3.0, 2.0, 0.002, 1)


def test_shift_reaches_the_root():
    check(sqrt_shift, 5.0, 4.0, 0.001, 2)  # the second step uses its own gradient only
    assert check(sqrt_shift, 5.0, 4.0, 0.01, 30) == pytest.approx(2.23606, abs=1e-4)
    check(sqrt_shift, 10.0, -5.0, 0.002, 15)  # a negative input: the guess starts at −4


@pytest.mark.parametrize("lr, expected", [(0.0005, 2.236), (0.001, -2.236)])
def test_two_minima(lr, expected):
    got = check(sqrt_shift_scale, 5.0, 4.0, lr, 100)
    assert got == pytest.approx(expected, abs=5e-4), (
        f"sqrt_shift_scale(n=5, input_val=4, lr={lr}, steps=100) should settle near {expected}, got "
        f"{got}. The loss has two minima, +√5 and −√5; which one you reach depends on lr")


def test_scale_and_shift_learn_together():
    check(sqrt_shift_scale, 5.0, 4.0, 0.001, 5)
    check(sqrt_shift_scale, 0.5, -1.5, 0.01, 20)
