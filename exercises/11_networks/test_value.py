"""Public tests for 11_networks/value. Run them with: pytest exercises/11_networks/test_value.py"""

import math
import sys

import pytest
import torch
from value import Value

A = 0.8  # the input of the small probes below
# each operation on a Value a, its derivative at a = A, and the rule
LOCAL = [
    ("a * 3", lambda a: a * 3, 3.0, "∂(a·b)/∂a = b"),
    ("a + 1", lambda a: a + 1, 1.0, "∂(a + b)/∂a = 1"),
    ("a ** 3", lambda a: a**3, 3 * A**2, "∂(a^k)/∂a = k·a^(k−1)"),
    ("a ** -2", lambda a: a**-2, -2 * A**-3, "∂(a^k)/∂a = k·a^(k−1)"),
    ("a.exp()", lambda a: a.exp(), math.exp(A), "∂exp(a)/∂a = exp(a), the output itself"),
    ("a.tanh()", lambda a: a.tanh(), 1 - math.tanh(A) ** 2,
     "∂tanh(a)/∂a = 1 − t², with t = tanh(a) the output (not the input)"),
    ("a.relu()", lambda a: a.relu(), 1.0, "∂relu(a)/∂a = 1 where a > 0, else 0"),
    ("-a", lambda a: -a, -1.0, "∂(−a)/∂a = −1"),
    ("a - 1", lambda a: a - 1, 1.0, "∂(a − b)/∂a = 1"),
    ("1 - a", lambda a: 1 - a, -1.0, "∂(c − a)/∂a = −1"),
    ("a / 2", lambda a: a / 2, 0.5, "∂(a/c)/∂a = 1/c"),
    ("2 / a", lambda a: 2 / a, -2 / A**2, "∂(c/a)/∂a = −c/a²"),
]


def grads_of(build, *data):
    """The leaves' grads after build(*leaves).backward(), with the leaves; None if it raised."""
    try:
        leaves = [Value(x) for x in data]
        build(*leaves).backward()
        return [leaf.grad for leaf in leaves], leaves
    except Exception:  # a probe only names a mistake; the tests themselves show any error
        return None, None


def engine_mistake():
    """A mistake in backward() or in adding to the grads, found by tiny probes, or ''."""
    single, _ = grads_of(lambda a: a * 2, A)
    found, _ = grads_of(lambda a: a * 2 + 1, A)
    if single == [pytest.approx(2.0)] and found is not None and found[0] == 0:
        return ("In m = a * 2; out = m + 1, a.grad stays 0: m's _backward ran before m.grad "
                "was complete, or never. Call every node's _backward once, in reverse topological "
                "order (the output first, each node only after every node that uses it).")
    found, _ = grads_of(lambda a: a + a, A)
    if found is not None and found[0] == pytest.approx(1.0):
        return ("(a + a).backward() gives a.grad = 1, not 2: the second use replaced the first. "
                "Each _backward must add to the grads (+=), never assign (=).")
    found, _ = grads_of(lambda a: (lambda s: s + s)(a * 1), A)
    if found is not None and found[0] == pytest.approx(4.0):
        return ("In s = a * 1; out = s + s, a.grad is 4, not 2: s's _backward ran twice, as s "
                "sits twice in the topological order. Visit each node once when you build the "
                "order (keep a set of the nodes already visited).")
    for text, op, local, _ in LOCAL:
        found, _ = grads_of(lambda a, op=op: op(a) * 2, A)
        if found is not None and found[0] == pytest.approx(local) and local != 0:
            return (f"In ({text}) * 2 at a = {A}, a.grad is {found[0]:.6g}, the local derivative "
                    f"alone, not {2 * local:.6g}: multiply it by out.grad (the chain rule), as in "
                    "self.grad += local * out.grad.")
    return ""


def local_mistake():
    """The first operation whose derivative alone is wrong, or ''."""
    for text, op, local, rule in LOCAL:
        found, _ = grads_of(op, A)
        if found is not None and found[0] != pytest.approx(local):
            return f"{text} at a = {A} gives a.grad = {found[0]:.6g}, not {local:.6g}: {rule}."
    return ""


def hint(neutral):
    return engine_mistake() or local_mistake() or neutral


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
    for name, v, want in [("a", a, -3 + 2 + 1 / 3 - 0.75 + 1), ("b", b, 2 + 2 / 9 + 1 + 0.5 + 1)]:
        assert v.grad == pytest.approx(want), (
            f"for a = 2, b = -3 and out = (a * b + 2 * a - a / b + 3 / a) - (1 - b) + (b - 4) * 0.5 "
            f"+ sum([a, b]), {name}.grad should be {want:.6g}, got {v.grad}. "
            + hint("Each _backward adds out.grad times its local derivative into each operand's grad.")
        )


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
        f"for v = {x} and out = v**3 + v.exp() + v.tanh() * 2 + v.relu() * 5 + (v * v) ** 0.5 "
        f"+ v**-2, v.grad should be {slope}, got {v.grad}. "
        + hint("Check the local derivatives: k·a**(k-1), exp(a), for tanh 1 − t² with t = tanh(a) "
               "the output (not the input), and for relu 1 where a > 0, else 0.")
    )


def test_a_node_used_twice_gets_every_use():
    a, b = Value(1.5), Value(-0.7)
    (a * a * (b + b)).backward()
    assert a.grad == pytest.approx(2 * 1.5 * 2 * -0.7) and b.grad == pytest.approx(2 * 1.5**2), (
        f"for a = 1.5, b = -0.7 and out = a * a * (b + b), a.grad = {a.grad} and b.grad = {b.grad}; "
        f"expected {2 * 1.5 * 2 * -0.7:.6g} and {2 * 1.5**2:.6g}. "
        + hint("A node used twice gets the sum of both uses' shares.")
    )
    x = Value(0.6)
    s = x * 2  # used twice below: its _backward must run once, after both uses
    (s * 3 + s.exp()).backward()
    expected = 2 * (3 + math.exp(1.2))
    assert x.grad == pytest.approx(expected), (
        f"for x = 0.6, s = x * 2 and out = s * 3 + s.exp(), x.grad = {x.grad}, expected "
        f"{expected}. " + hint("Call each _backward once, in reverse topological order.")
    )


def test_relu_passes_nothing_at_zero():
    x = Value(0.0)
    (x.relu() * 3 + x * 2).backward()
    assert x.grad == 2, (
        f"for x = 0 and out = x.relu() * 3 + x * 2, x.grad = {x.grad}, expected 2. "
        + ("relu′(0) is 0 (use data > 0, not >= 0)." if x.grad == pytest.approx(5.0) else
           hint("relu′(0) is 0, as in torch."))
    )


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
    assert x.grad == pytest.approx(1.0001**5000), (
        f"for a chain of 10,000 steps alternating + 0.0001 and * 1.0001, x.grad = {x.grad}, "
        f"expected 1.0001**5000 = {1.0001**5000}. "
        + hint("Call each _backward once, in reverse topological order.")
    )


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
    shown = "for a, b, c = 0.7, -1.3, 2.1, s = a * b - c / 2 and out = (s.tanh() * c + (1 - a).relu() " \
            "+ s * s + 2 / (c + 1)) * (b + 3)"
    assert out.data == pytest.approx(tout.item(), rel=1e-8), (
        f"{shown}, out.data = {out.data}, torch says {tout.item()}: check the value each operation "
        "computes (the reflected ones: 1 - a is __rsub__, 2 / x is __rtruediv__)"
    )
    for name, v, t in zip("abc", (a, b, c), (ta, tb, tc), strict=True):
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-8), (
            f"{shown}, {name}.grad = {v.grad}, torch says {t.grad.item()}. "
            + hint("Each _backward adds its local derivative times out.grad (the chain rule), "
                   "once, in reverse topological order.")
        )
