"""Public tests for 11_networks/value. Run them with: pytest exercises/11_networks/test_value.py"""

import math
import sys

import pytest
import torch
from value import Value


def test_arithmetic_with_numbers_on_either_side():
    a, b = Value(2.0), Value(-3.0)
    assert a.data == 2.0 and a.grad == 0, "Value(2.0) should hold data 2.0 and grad 0"
    try:
        out = (a * b + 2 * a - a / b + 3 / a) - (1 - b) + (b - 4) * 0.5 + sum([a, b])
    except TypeError as error:
        pytest.fail(f"{error}: a number on the left of an operator asks the Value on its right "
                    "for __radd__, __rsub__, __rmul__ or __rtruediv__ (and sum() starts from "
                    "0 + v, so it needs __radd__); wrap plain numbers in a Value")
    expected = 2 * -3 + 4 - 2 / -3 + 1.5 - 4 - 3.5 - 1
    assert out.data == pytest.approx(expected), (
        f"data should be {expected}, got {out.data}: check the reflected methods, "
        "__rsub__(self, other) is other - self and __rtruediv__(self, other) is other / self"
    )
    out.backward()
    assert out.grad == 1, "backward() sets the output's own grad to 1 first"
    # d/da: b + 2 - 1/b - 3/a**2 + 1;  d/db: a + a/b**2 + 1 + 0.5 + 1
    assert a.grad == pytest.approx(-3 + 2 + 1 / 3 - 0.75 + 1), f"a.grad is {a.grad}"
    assert b.grad == pytest.approx(2 + 2 / 9 + 1 + 0.5 + 1), f"b.grad is {b.grad}"


@pytest.mark.parametrize("x", [0.8, -0.6])
def test_pow_exp_tanh_relu(x):
    v = Value(x)
    out = v**3 + v.exp() + v.tanh() * 2 + v.relu() * 5 + (v * v) ** 0.5 + v**-2
    t = math.tanh(x)
    expected = x**3 + math.exp(x) + 2 * t + 5 * max(x, 0) + abs(x) + x**-2
    assert out.data == pytest.approx(expected), f"data should be {expected}, got {out.data}"
    out.backward()
    slope = 3 * x**2 + math.exp(x) + 2 * (1 - t**2) + 5 * (x > 0) + math.copysign(1, x) - 2 * x**-3
    assert v.grad == pytest.approx(slope), (
        f"v.grad should be {slope}, got {v.grad}. The local derivatives: k·a**(k-1), exp(a), "
        "for tanh 1 − t² with t = tanh(a) the output (not the input), and for relu 1 where "
        "a > 0, else 0"
    )


def test_a_node_used_twice_gets_every_use():
    a, b = Value(1.5), Value(-0.7)
    (a * a * (b + b)).backward()
    assert a.grad == pytest.approx(2 * 1.5 * 2 * -0.7) and b.grad == pytest.approx(2 * 1.5**2), (
        f"a.grad = {a.grad}, b.grad = {b.grad}; expected {2 * 1.5 * 2 * -0.7} and {2 * 1.5**2}. "
        "Half of it? Each _backward must add to the grads (+=), never assign (=)"
    )
    x = Value(0.6)
    s = x * 2  # used twice below: its _backward must run once, after both uses
    (s * 3 + s.exp()).backward()
    expected = 2 * (3 + math.exp(1.2))
    assert x.grad == pytest.approx(expected), (
        f"x.grad = {x.grad}, expected {expected}: "
        + ("more, so a _backward ran twice: visit each node once when you build the topological "
           "order (keep a set of visited nodes)" if x.grad > expected else
           "call each _backward once, in reverse topological order")
    )


def test_relu_passes_nothing_at_zero():
    x = Value(0.0)
    (x.relu() * 3 + x * 2).backward()
    assert x.grad == 2, f"x.grad = {x.grad}, expected 2: relu′(0) is 0 (use data > 0, not >= 0)"


def test_a_chain_10000_deep():
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default
    try:
        x = Value(0.5)
        v = x
        for i in range(10_000):
            v = v + 0.0001 if i % 2 == 0 else v * 1.0001
        try:
            v.backward()
        except RecursionError:
            pytest.fail("backward() hit the recursion limit on a chain 10,000 deep: build the "
                        "topological order with an explicit stack (a list and a while loop)")
    finally:
        sys.setrecursionlimit(limit)
    assert x.grad == pytest.approx(1.0001**5000), f"x.grad = {x.grad}, expected {1.0001**5000}"


def test_matches_torch_on_an_expression():
    values = [0.7, -1.3, 2.1]
    a, b, c = (Value(v) for v in values)
    ta, tb, tc = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values)

    def f(a, b, c):
        s = a * b - c / 2
        return (s.tanh() * c + (1 - a).relu() + s * s + 2 / (c + 1)) * (b + 3)

    out, tout = f(a, b, c), f(ta, tb, tc)
    out.backward()
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-8)
    for name, v, t in zip("abc", (a, b, c), (ta, tb, tc), strict=True):
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-8), (
            f"{name}.grad = {v.grad}, torch says {t.grad.item()}: each _backward adds its local "
            "derivative times out.grad (the chain rule), once, in reverse topological order"
        )
