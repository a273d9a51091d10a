"""Hidden suite for 13_curvature/newton."""

import math

import pytest
import torch

from grader.grading import checks

CONTRACT = ("L(g) = (n − g²)² in Python floats; Newton: g ← g − L'(g)/L''(g), L'(g) = −4g(n − g²), "
            "L''(g) = 12g² − 4n; GD: g ← g − lr·L'(g). newton_sqrt(n, guess, steps) -> float; "
            "newton_steps_to_tol(n, guess, tol, max_steps=100) and gd_steps_to_tol(n, guess, lr, tol, "
            "max_steps=100_000) -> int: steps until abs(g² − n) ≤ tol, tested before every step; all "
            "raise ArithmeticError when L''(g) = 0 in a Newton step, when the guess becomes non-finite, or "
            "when tol is not met within max_steps")
NEWTON = "newton_sqrt(n, guess, steps)"
NEWTON_COUNT = "newton_steps_to_tol(n, guess, tol, max_steps)"
GD_COUNT = "gd_steps_to_tol(n, guess, lr, tol, max_steps)"


class Stop(ArithmeticError):
    """The reference's ArithmeticError."""


# ---------------------------------------------------------------- references, float64


def first_derivative(n: float, g: float) -> float:
    return -4.0 * g * (n - g * g)


def second_derivative(n: float, g: float) -> float:
    return 12.0 * g * g - 4.0 * n


def newton_step(n: float, g: float, *, rule: str = "newton") -> float:
    """One step; ``rule`` makes the classic mistakes: Heron's step, or L'' written wrong."""
    if rule == "heron":
        return (g + n / g) / 2
    curvature = {"newton": second_derivative(n, g), "product-rule": 4.0 * g * g - 4.0 * n,
                 "no-minus-4n": 12.0 * g * g}[rule]
    if curvature == 0.0:
        raise Stop("L'' = 0")
    g = g - first_derivative(n, g) / curvature
    if not math.isfinite(g):
        raise Stop("not finite")
    return g


def newton(n: float, guess: float, steps: int, rule: str = "newton") -> float:
    g = float(guess)
    for _ in range(steps):
        g = newton_step(n, g, rule=rule)
    return g


def count(step, n: float, guess: float, tol: float, max_steps: int, *, after: bool = False) -> int:
    """Steps until abs(g² − n) ≤ tol, tested before every step (``after``: only after each step)."""
    g = float(guess)
    for taken in range(max_steps + 1):
        if (taken > 0 or not after) and abs(g * g - n) <= tol:
            return taken
        if taken == max_steps:
            break
        g = step(g)
    raise Stop("not within max_steps")


def newton_count(n, guess, tol, max_steps=100, rule="newton", after=False) -> int:
    return count(lambda g: newton_step(n, g, rule=rule), n, guess, tol, max_steps, after=after)


def gd_step(n: float, lr: float, g: float, factor: float = 1.0) -> float:
    g = g - lr * factor * first_derivative(n, g)
    if not math.isfinite(g):
        raise Stop("not finite")
    return g


def gd_count(n, guess, lr, tol, max_steps=100_000, factor=1.0, after=False) -> int:
    return count(lambda g: gd_step(n, lr, g, factor), n, guess, tol, max_steps, after=after)


def safe(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ArithmeticError:
        return None


NEWTON_RULES = {
    "heron": "that is Heron's step (g + n/g)/2, Newton's method on g² − n; this kata takes Newton's step "
             "on the loss L(g) = (n − g²)²: g − L'(g)/L''(g)",
    "product-rule": "L''(g) = 4g² − 4n drops half the product rule: d/dg [−4g(n − g²)] = −4(n − g²) + 8g² "
                    "= 12g² − 4n",
    "no-minus-4n": "L''(g) = 12g² misses the −4n: d/dg [−4g(n − g²)] = 12g² − 4n",
}


def newton_wrong_answers(n: float, guess: float, steps: int) -> dict:
    found = {label: safe(newton, n, guess, steps, rule) for rule, label in NEWTON_RULES.items()}
    found["the step goes the wrong way: g − L'(g)/L''(g), not g + L'(g)/L''(g)"] = (
        2 * guess - newton(n, guess, 1) if steps == 1 else None)
    return {label: value for label, value in found.items() if value is not None}


def count_names(counts: dict, right: int) -> dict:
    """Known wrong counts, label → count; mistakes that give the same count share one label."""
    by_count: dict[int, list[str]] = {}
    for label, c in counts.items():
        if c is not None and c != right:
            by_count.setdefault(c, []).append(label)
    return {"; or ".join(labels): c for c, labels in by_count.items()}


def newton_count_names(n, guess, tol, max_steps=100) -> dict:
    right = newton_count(n, guess, tol, max_steps)
    counts = {NEWTON_RULES[rule]: safe(newton_count, n, guess, tol, max_steps, rule) for rule in NEWTON_RULES}
    counts["one step too many: count the steps taken, testing abs(g² − n) ≤ tol before each step"] = right + 1
    counts["one step too few: count every step taken, testing abs(g² − n) ≤ tol before each step"] = right - 1
    return count_names(counts, right)


def gd_count_names(n, guess, lr, tol, max_steps=100_000) -> dict:
    right = gd_count(n, guess, lr, tol, max_steps)
    counts = {
        "the factor 4 of L'(g) = −4g(n − g²) is a 2: the steps are half as long": safe(
            gd_count, n, guess, lr, tol, max_steps, 0.5),
        "one step too many: count the steps taken, testing abs(g² − n) ≤ tol before each step": right + 1,
        "one step too few: count every step taken, testing abs(g² − n) ≤ tol before each step": right - 1,
    }
    return count_names(counts, right)


# ---------------------------------------------------------------- reading results


def shown(**args) -> str:
    return ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in args.items())


def read_guess(outcome, inputs: str) -> float:
    return checks.as_number(outcome, call=NEWTON, inputs=inputs, contract=CONTRACT,
                            what="the guess as a number (a Python float)")


def read_count(outcome, call: str, inputs: str) -> int:
    seen = outcome.value
    number = checks.read_number(seen)
    if number is None or not float(number).is_integer():
        checks.fail(f"{call} should return a number of steps (an int); it returned {checks.fmt(seen)}",
                    inputs=inputs, contract=CONTRACT)
    return int(number)


def check_count(got: int, expected: int, call: str, inputs: str, known: dict) -> None:
    if got != expected:
        why = next((label for label, c in known.items() if c == got), f"{got} steps where the contract takes "
                                                                      f"{expected}")
        checks.fail(f"{call}: {why}", inputs=inputs, expected=expected, received=got, contract=CONTRACT)


def check_raises(outcome, call: str, inputs: str, why: str) -> None:
    checks.raises(outcome, "ArithmeticError", call=call, inputs=inputs, contract=CONTRACT,
                  why=f"{why}; ZeroDivisionError, OverflowError or your own subclass of ArithmeticError "
                      "do too")


# ---------------------------------------------------------------- newton_sqrt


@pytest.mark.points(1)
def test_seed_first_newton_step(learner):
    """seed: one Newton step from 4 (n = 5) gives 128/43 = 2.976744"""
    inputs = shown(n=5.0, guess=4.0, steps=1)
    got = read_guess(learner.call("newton_sqrt", 5.0, 4.0, 1), inputs)
    if not checks.close(got, 128 / 43, torch.float64, rtol=1e-12):
        why = checks.explain_miss(torch.tensor(got), torch.tensor(128 / 43),
                                  known=newton_wrong_answers(5.0, 4.0, 1))
        checks.fail(f"{NEWTON}: {why}", inputs=inputs, expected=128 / 43, received=got, contract=CONTRACT,
                    extra="L'(4) = −4·4·(5 − 16) = 176, L''(4) = 12·16 − 20 = 172, 4 − 176/172 = 128/43")


NEWTON_CASES = [
    pytest.param(5.0, 4.0, 3, id="n5-guess4-3-steps"),
    pytest.param(5.0, 4.0, 6, id="n5-guess4-6-steps"),
    pytest.param(2.0, 1.5, 4, id="sqrt2"),
    pytest.param(10.0, -4.0, 3, id="negative-start"),
    pytest.param(0.25, 2.0, 5, id="small-n"),
    pytest.param(1e4, 130.0, 4, id="large-n"),
    pytest.param(5.0, 0.5, 2, id="start-below-the-inflection"),
    # the guess itself is right here: it counts once the results are
    pytest.param(5.0, 4.0, 0, id="zero-steps", marks=pytest.mark.rule),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("n, guess, steps", NEWTON_CASES)
def test_newton_sqrt_matches(learner, n, guess, steps):
    """the guess after `steps` Newton steps on L"""
    inputs = shown(n=n, guess=guess, steps=steps)
    expected = newton(n, guess, steps)
    got = read_guess(learner.call("newton_sqrt", n, guess, steps), inputs)
    if not checks.close(got, expected, torch.float64, rtol=1e-10):
        why = checks.explain_miss(torch.tensor(got), torch.tensor(expected),
                                  known=newton_wrong_answers(n, guess, steps))
        checks.fail(f"{NEWTON}: {why}", inputs=inputs, expected=expected, received=got, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule  # raising ArithmeticError everywhere passes this: it counts once the results are right
@pytest.mark.parametrize("n, guess, steps", [(3.0, 1.0, 1), (0.75, 0.5, 3), (0.0, 0.0, 1)],
                         ids=["n3-guess1", "n0.75-guess0.5", "n0-guess0"])
def test_newton_sqrt_raises_where_curvature_is_zero(learner, n, guess, steps):
    """ArithmeticError when L''(g) = 12g² − 4n = 0"""
    outcome = learner.call("newton_sqrt", n, guess, steps)
    check_raises(outcome, NEWTON, shown(n=n, guess=guess, steps=steps),
                 f"L''({guess:g}) = 12·{guess:g}² − 4·{n:g} = 0, so the Newton step is undefined")


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("guess", [math.nan, math.inf, 1e200], ids=["nan", "inf", "1e200"])
def test_newton_sqrt_raises_on_non_finite_guess(learner, guess):
    """ArithmeticError when the guess becomes non-finite"""
    outcome = learner.call("newton_sqrt", 5.0, guess, 2)
    check_raises(outcome, NEWTON, shown(n=5.0, guess=guess, steps=2),
                 "the guess becomes non-finite (inf or nan): check math.isfinite after each step")


# ---------------------------------------------------------------- newton_steps_to_tol


@pytest.mark.points(1)
def test_seed_newton_takes_six_steps(learner):
    """seed: Newton from 4 (n = 5) reaches tol 1e-10 in 6 steps"""
    inputs = shown(n=5.0, guess=4.0, tol=1e-10)
    got = read_count(learner.call("newton_steps_to_tol", 5.0, 4.0, 1e-10), NEWTON_COUNT, inputs)
    check_count(got, 6, NEWTON_COUNT, inputs, checks.OnMiss(lambda: newton_count_names(5.0, 4.0, 1e-10)))


NEWTON_COUNT_CASES = [
    pytest.param(2.0, 1.5, 1e-12, id="sqrt2"),
    pytest.param(10.0, -4.0, 1e-8, id="negative-start"),
    pytest.param(1e4, 300.0, 1e-6, id="far-start"),
    pytest.param(0.25, 2.0, 1e-9, id="small-n"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("n, guess, tol", NEWTON_COUNT_CASES)
def test_newton_steps_match(learner, n, guess, tol):
    """the number of Newton steps to abs(g² − n) ≤ tol"""
    inputs = shown(n=n, guess=guess, tol=tol)
    expected = newton_count(n, guess, tol)
    got = read_count(learner.call("newton_steps_to_tol", n, guess, tol), NEWTON_COUNT, inputs)
    check_count(got, expected, NEWTON_COUNT, inputs, checks.OnMiss(lambda: newton_count_names(n, guess, tol)))


AFTER = ("the tolerance is tested only after a step: test abs(g² − n) ≤ tol before every step, so a guess "
         "that already meets it takes 0 steps")


@pytest.mark.points(1)
@pytest.mark.rule  # a constant answer is right here: it counts once the results are
@pytest.mark.parametrize("function", ["newton_steps_to_tol", "gd_steps_to_tol"])
def test_zero_steps_when_the_start_meets_tol(learner, function):
    """0 steps when the guess already meets tol"""
    args = (4.0, 2.0, 1e-12) if function == "newton_steps_to_tol" else (4.0, 2.0, 0.01, 1e-12)
    call = NEWTON_COUNT if function == "newton_steps_to_tol" else GD_COUNT
    inputs = shown(**dict(zip(["n", "guess", "tol"] if len(args) == 3 else ["n", "guess", "lr", "tol"], args,
                              strict=True)))
    got = read_count(learner.call(function, *args), call, inputs)
    check_count(got, 0, call, inputs, {AFTER: 1})


@pytest.mark.points(1)
@pytest.mark.rule  # returning max_steps passes the first, raising the second: they count once the results do
@pytest.mark.parametrize("max_steps, meets", [(6, True), (5, False)], ids=["max-6-is-enough", "max-5-is-not"])
def test_newton_max_steps_boundary(learner, max_steps, meets):
    """max_steps = 6 is enough for the seed's 6 steps, 5 is not"""
    inputs = shown(n=5.0, guess=4.0, tol=1e-10, max_steps=max_steps)
    outcome = learner.call("newton_steps_to_tol", 5.0, 4.0, 1e-10, max_steps)
    if meets:
        if outcome.raised is not None and outcome.raised.is_a("ArithmeticError"):
            checks.fail(f"{NEWTON_COUNT} raised {outcome.raised.describe()}, but the 6th step meets tol and "
                        "max_steps = 6 allows 6 steps: test the tolerance after the last allowed step too",
                        inputs=inputs, contract=CONTRACT)
        check_count(read_count(outcome, NEWTON_COUNT, inputs), 6, NEWTON_COUNT, inputs, {})
    else:
        check_raises(outcome, NEWTON_COUNT, inputs, "tol is not met within max_steps = 5 steps")


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("n, guess, why", [
    (5.0, 1.0, "from 1.0 Newton cycles 1 → −1 → 1 → … and never meets tol, so after max_steps it must raise"),
    (3.0, 1.0, "L''(1) = 12 − 12 = 0: the Newton step is undefined"),
    (5.0, 1e200, "from 1e200 the first step gives nan (g² overflows to inf): the guess is not finite"),
], ids=["cycle-from-1", "zero-curvature", "huge-start"])
def test_newton_steps_raise(learner, n, guess, why):
    """ArithmeticError: the cycle 1 → −1 → 1, L''(g) = 0, a non-finite guess"""
    outcome = learner.call("newton_steps_to_tol", n, guess, 1e-10)
    check_raises(outcome, NEWTON_COUNT, shown(n=n, guess=guess, tol=1e-10), why)


# ---------------------------------------------------------------- gd_steps_to_tol


@pytest.mark.points(1)
@pytest.mark.parametrize("lr, published", [(0.01, 39), (0.001, 594)], ids=["lr-0.01", "lr-0.001"])
def test_seed_gradient_descent_steps(learner, lr, published):
    """seed: gradient descent from 4 (n = 5) to tol 1e-10: 39 steps at lr 0.01, 594 at lr 0.001"""
    inputs = shown(n=5.0, guess=4.0, lr=lr, tol=1e-10)
    got = read_count(learner.call("gd_steps_to_tol", 5.0, 4.0, lr, 1e-10), GD_COUNT, inputs)
    check_count(got, published, GD_COUNT, inputs, checks.OnMiss(lambda: gd_count_names(5.0, 4.0, lr, 1e-10)))


GD_COUNT_CASES = [
    pytest.param(2.0, 1.0, 0.05, 1e-10, id="sqrt2"),
    pytest.param(5.0, -4.0, 0.01, 1e-8, id="negative-start"),
    pytest.param(9.0, 2.0, 0.005, 1e-6, id="n9"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("n, guess, lr, tol", GD_COUNT_CASES)
def test_gd_steps_match(learner, n, guess, lr, tol):
    """the number of gradient-descent steps to abs(g² − n) ≤ tol"""
    inputs = shown(n=n, guess=guess, lr=lr, tol=tol)
    expected = gd_count(n, guess, lr, tol)
    got = read_count(learner.call("gd_steps_to_tol", n, guess, lr, tol), GD_COUNT, inputs)
    check_count(got, expected, GD_COUNT, inputs, checks.OnMiss(lambda: gd_count_names(n, guess, lr, tol)))


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("lr, max_steps, why", [
    (0.06, 100_000, "at lr 0.06 the guess diverges (2/L''(4) = 0.0116): raise once it is not finite"),
    (0.001, 593, "at lr 0.001 the seed needs 594 steps, more than max_steps = 593"),
], ids=["diverges-at-0.06", "max-steps-593"])
def test_gd_steps_raise(learner, lr, max_steps, why):
    """ArithmeticError: divergence at lr 0.06, or tol not met within max_steps"""
    outcome = learner.call("gd_steps_to_tol", 5.0, 4.0, lr, 1e-10, max_steps)
    check_raises(outcome, GD_COUNT, shown(n=5.0, guess=4.0, lr=lr, tol=1e-10, max_steps=max_steps), why)


@pytest.mark.points(1)
@pytest.mark.rule  # returning max_steps passes this: it counts once the results are right
def test_gd_max_steps_boundary(learner):
    """max_steps = 594 is enough for the seed at lr 0.001"""
    inputs = shown(n=5.0, guess=4.0, lr=0.001, tol=1e-10, max_steps=594)
    outcome = learner.call("gd_steps_to_tol", 5.0, 4.0, 0.001, 1e-10, 594)
    if outcome.raised is not None and outcome.raised.is_a("ArithmeticError"):
        checks.fail(f"{GD_COUNT} raised {outcome.raised.describe()}, but the 594th step meets tol and "
                    "max_steps = 594 allows 594 steps: test the tolerance after the last allowed step too",
                    inputs=inputs, contract=CONTRACT)
    check_count(read_count(outcome, GD_COUNT, inputs), 594, GD_COUNT, inputs, {})


# ---------------------------------------------------------------- behaviour rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_newton_sqrt_returns_python_float(learner):
    """newton_sqrt returns a Python float"""
    outcome = learner.call("newton_sqrt", 5.0, 4.0, 3)
    if type(outcome.value) is not float:
        checks.python_float(outcome, newton(5.0, 4.0, 3), call=NEWTON,
                            inputs=shown(n=5.0, guess=4.0, steps=3), contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("function, args", [("newton_steps_to_tol", (5.0, 4.0, 1e-10)),
                                            ("gd_steps_to_tol", (5.0, 4.0, 0.01, 1e-10))],
                         ids=["newton", "gd"])
def test_counts_are_ints(learner, function, args):
    """the step counts are Python ints"""
    seen = learner.call(function, *args).value
    if type(seen) is not int:
        checks.fail(f"{function} should return the number of steps as a Python int; it returned "
                    f"{checks.fmt(seen)}", inputs=", ".join(map(str, args)), contract=CONTRACT)

