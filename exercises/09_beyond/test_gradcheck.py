"""Public tests for 09_beyond/gradcheck. Run them with: pytest exercises/09_beyond/test_gradcheck.py"""

import torch
from gradcheck import gradcheck


def f(x):
    return (x**3).sum()


def right(x):
    return 3 * x**2


def one_percent_off(x):
    return 3.03 * x**2


def verdict(expected, got, what):
    assert type(got) is bool, (
        f"gradcheck should return a Python bool ({expected} here), got {got!r}"
        + (": .all() and comparisons of tensors give a tensor, wrap it in bool(...)"
           if isinstance(got, torch.Tensor) else ""))
    assert got is expected, f"gradcheck returned {got}; {what}"


def test_says_true_for_a_right_gradient_and_false_for_a_wrong_one():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    verdict(True, gradcheck(f, right, x), "grad_f is right here (3x² for Σx³), so gradcheck should say True")
    verdict(False, gradcheck(f, one_percent_off, x),
            "grad_f is wrong here (3.03x², 1% off, and the default rtol is 1e-3), so gradcheck should say "
            "False")
    verdict(False, gradcheck(f, lambda x: -right(x), x),
            "grad_f has the wrong sign, so gradcheck should say False")


def test_float32_x_is_checked_in_float64():
    x = torch.tensor([[0.3, -1.7], [1.1, 2.4]], dtype=torch.float32)
    verdict(True, gradcheck(f, right, x),
            "grad_f is right here, so gradcheck should say True. x is float32: do the central differences in "
            "float64 (x.to(torch.float64) and a clone), float32 cannot resolve x ± 1e-6")


def test_eps_atol_and_rtol_are_the_ones_passed_in():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    slightly_off = lambda x: 3.009 * x**2  # noqa: E731 - 0.3% off
    verdict(False, gradcheck(f, slightly_off, x), "grad_f is 0.3% off, more than the default rtol = 1e-3")
    verdict(True, gradcheck(f, slightly_off, x, rtol=1e-2),
            "grad_f is 0.3% off and rtol=1e-2 was passed, so gradcheck should say True: use the rtol passed "
            "in, |a − n| ≤ atol + rtol·|n|")
    shifted = lambda x: right(x) + 1e-4  # noqa: E731
    verdict(True, gradcheck(f, shifted, x, atol=1e-3, rtol=0.0),
            "grad_f is 1e-4 off, and atol=1e-3, rtol=0 were passed, so gradcheck should say True: use the "
            "atol passed in")
    verdict(False, gradcheck(f, shifted, x, atol=1e-5, rtol=0.0),
            "grad_f is 1e-4 off, more than the atol=1e-5 passed in (with rtol=0)")
    # for x³ the central differences with eps = 0.1 are exactly 3x² + eps² = 3x² + 0.01
    wide = lambda x: right(x) + 0.01  # noqa: E731
    verdict(True, gradcheck(f, wide, x, eps=0.1),
            "for x³ the central differences with eps = 0.1 are 3x² + 0.01, which is what grad_f returns "
            "here, so gradcheck should say True: use the eps passed in, and central differences "
            "(f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps)")


def test_where_the_gradient_is_zero():
    # 100·Σx² at x = 0: the gradient is 0, and the central differences are exactly 0 too
    x = torch.zeros(3, dtype=torch.float64)
    steep = lambda x: 100 * (x**2).sum()  # noqa: E731
    verdict(True, gradcheck(steep, lambda x: 200 * x, x),
            "grad_f is right here (200x = 0 at x = 0), so gradcheck should say True. Use central "
            "differences, (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps): a forward one is off by eps·f''/2 = "
            "1e-4 here. And never divide by |n| (the rule is |a − n| ≤ atol + rtol·|n|, which holds where "
            "n = 0)")
    verdict(False, gradcheck(steep, lambda x: 200 * x + 1e-4, x),
            "grad_f is off by 1e-4 where the gradient is 0, more than atol = 1e-5")


def test_every_element_is_checked():
    # ½Σx² has the gradient x; this grad_f is off by 0.02 in its last element only, where the gradient is 0
    x = torch.tensor([50.0, -40.0, 60.0, 0.0], dtype=torch.float64)
    one_off = lambda x: x + torch.tensor([0.0, 0.0, 0.0, 0.02], dtype=x.dtype)  # noqa: E731
    verdict(False, gradcheck(lambda x: 0.5 * (x**2).sum(), one_off, x),
            "grad_f is off by 0.02 in one element only, so gradcheck should say False. Check every element, "
            "|a_i − n_i| ≤ atol + rtol·|n_i|, not a norm or a mean of all of them")


def test_x_is_left_alone():
    x = torch.tensor([0.3, -1.7, 2.9, 1.1], dtype=torch.float64)
    before = x.clone()
    gradcheck(f, right, x)
    assert torch.equal(x, before), (
        f"gradcheck changed the values of x from {before.tolist()} to {x.tolist()}: x.to(torch.float64) is x "
        "itself when x is already float64, so perturb a clone (x.detach().to(torch.float64).clone()); "
        "restoring by arithmetic (+eps, −2·eps, +eps) rounds")
    y = torch.tensor([0.3, -1.7, 2.9], requires_grad=True)
    y.grad = torch.tensor([1.0, 2.0, 3.0])
    gradcheck(f, right, y)
    assert torch.equal(y.detach(), before[:3].float()) and y.requires_grad and y.dtype == torch.float32, (
        "gradcheck changed x (its values, dtype or requires_grad): work on a detached float64 copy")
    assert torch.equal(y.grad, torch.tensor([1.0, 2.0, 3.0])), (
        f"gradcheck changed x.grad to {y.grad}: compute on a detached copy, so the caller's .grad stays as "
        "it was")
