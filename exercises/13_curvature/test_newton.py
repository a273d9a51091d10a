"""Public tests for 13_curvature/newton. Run them with: pytest exercises/13_curvature/test_newton.py"""

import pytest
from newton import gd_steps_to_tol, newton_sqrt, newton_steps_to_tol


def test_first_newton_step():
    result = newton_sqrt(5.0, 4.0, 1)
    assert type(result) is float, f"newton_sqrt should return a Python float, got {type(result).__name__}"
    hint = ""
    if result == pytest.approx(2.625):
        hint = (": that is Heron's step (g + n/g)/2, Newton's method on g² − n. Here Newton's method runs on "
                "the loss L(g) = (n − g²)²: g − L'(g)/L''(g)")
    elif result == pytest.approx(0.0):
        hint = ": L''(g) = 4g² − 4n misses half the product rule; d/dg [−4g(n − g²)] = 12g² − 4n"
    assert result == pytest.approx(128 / 43, rel=1e-12), (
        f"one Newton step from 4 with n = 5: L'(4) = 176, L''(4) = 172, 4 − 176/172 = 128/43 = 2.976744; "
        f"got {result}{hint}"
    )
    assert newton_sqrt(5.0, 4.0, 6) == pytest.approx(5**0.5, rel=1e-12), "six Newton steps from 4 reach √5"


def test_seed_step_counts():
    newton = newton_steps_to_tol(5.0, 4.0, 1e-10)
    assert type(newton) is int and newton == 6, (
        f"Newton from 4 (n = 5) needs 6 steps to abs(g² − 5) ≤ 1e-10, as a Python int; got {newton!r}"
        + (": one step too many, test the tolerance before every step" if newton == 7 else "")
        + (": one too few (or Heron's step)" if newton == 5 else "")
    )
    for lr, expected in [(0.01, 39), (0.001, 594)]:
        got = gd_steps_to_tol(5.0, 4.0, lr, 1e-10)
        assert type(got) is int and got == expected, (
            f"gradient descent at lr {lr} needs {expected} steps, as a Python int; got {got!r}"
            + (": one step too many, test the tolerance before every step" if got == expected + 1 else "")
        )


def test_zero_steps_when_the_start_meets_tol():
    for got, call in [(newton_steps_to_tol(4.0, 2.0, 1e-12), "newton_steps_to_tol(4, 2, 1e-12)"),
                      (gd_steps_to_tol(4.0, 2.0, 0.01, 1e-12), "gd_steps_to_tol(4, 2, 0.01, 1e-12)")]:
        assert got == 0, (
            f"{call}: 2² = 4 already meets tol, so 0 steps; got {got}. Is the tolerance tested only after a "
            "step? Test it before every step"
        )


def test_max_steps_is_a_limit_not_a_target():
    assert newton_steps_to_tol(5.0, 4.0, 1e-10, max_steps=6) == 6, "max_steps = 6 allows the 6 steps needed"
    assert gd_steps_to_tol(5.0, 4.0, 0.001, 1e-10, max_steps=594) == 594, "max_steps = 594 allows 594 steps"
    too_few = [(newton_steps_to_tol, (5.0, 4.0, 1e-10, 5)), (gd_steps_to_tol, (5.0, 4.0, 0.001, 1e-10, 593))]
    for call, args in too_few:
        raises_arithmetic_error(lambda call=call, args=args: call(*args),
                                f"{call.__name__}{args}: tol is not met within max_steps = {args[-1]}")


@pytest.mark.parametrize("call, why", [
    (lambda: newton_steps_to_tol(5.0, 1.0, 1e-10), "from 1.0 Newton cycles 1 → −1 → 1 and never converges"),
    (lambda: newton_sqrt(3.0, 1.0, 1), "L''(1) = 12 − 12 = 0: the Newton step is undefined"),
    (lambda: newton_sqrt(5.0, 1e200, 1), "g² overflows to inf and the step gives nan"),
    (lambda: gd_steps_to_tol(5.0, 4.0, 0.06, 1e-10), "lr 0.06 > 2/L''(4) = 0.0116: descent diverges"),
], ids=["cycle", "zero-curvature", "overflow", "gd-diverges"])
def test_raises_arithmetic_error(call, why):
    raises_arithmetic_error(call, why)


def raises_arithmetic_error(call, why):
    try:
        result = call()
    except ArithmeticError:
        return
    except Exception as error:  # noqa: BLE001 - to name what was raised instead
        pytest.fail(f"{why}: it should raise ArithmeticError (or a subclass: ZeroDivisionError, "
                    f"OverflowError, ...), not {type(error).__name__}")
    pytest.fail(f"{why}: it should raise ArithmeticError (or a subclass), but it returned {result!r}")
