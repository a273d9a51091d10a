"""Public tests for 09_beyond/gradcheck. Run them with: pytest exercises/09_beyond/test_gradcheck.py"""

import torch
from gradcheck import gradcheck


def f(x):
    return (x**3).sum()


def right(x):
    return 3 * x**2


def one_percent_off(x):
    return 3.03 * x**2


def test_says_true_for_a_right_gradient_and_false_for_a_wrong_one():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    ok = gradcheck(f, right, x)
    assert ok is True, (
        f"gradcheck(sum(x³), 3x², x = {x.tolist()}) should be True (a Python bool), got {ok!r}"
    )
    bad = gradcheck(f, one_percent_off, x)
    assert bad is False, (
        f"gradcheck(sum(x³), 3.03x², x = {x.tolist()}) should be False: that gradient is 1% off and the "
        f"default rtol is 1e-3. Got {bad!r}"
    )


def test_float32_x_is_checked_in_float64_and_left_alone():
    x = torch.tensor([[0.3, -1.7], [1.1, 2.4]], dtype=torch.float32)
    before = x.clone()
    ok = gradcheck(f, right, x)
    assert ok is True, (
        f"gradcheck(sum(x³), 3x², float32 x = {x.tolist()}) should be True, got {ok!r}: take the central "
        "differences in float64 (float32 cannot resolve x ± 1e-6)"
    )
    assert torch.equal(x, before) and x.dtype == torch.float32, (
        f"x changed from {before.tolist()} to {x.tolist()}: perturb a float64 clone, never x itself"
    )


def test_rtol_is_honoured():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    slightly_off = lambda x: 3.009 * x**2  # noqa: E731 - 0.3% off
    assert gradcheck(f, slightly_off, x) is False, (
        "a gradient 0.3% off should fail with the default rtol = 1e-3"
    )
    assert gradcheck(f, slightly_off, x, rtol=1e-2) is True, (
        "a gradient 0.3% off should pass with rtol = 1e-2: the rule is |a − n| ≤ atol + rtol·|n|, "
        "with the rtol passed in"
    )
