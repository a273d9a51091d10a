"""Hidden suite for 11_networks/value.

Every test runs a program (a list of steps, see grader/sandbox/scenarios/topic_11.py) on the
learner's own Value class, learner-side, and compares every node's data and grad with torch's in
float64; the references are computed at collection.
"""

import pytest

from grader.grading import checks
from grader.suites.shared import networks_value as nv
from grader.suites.shared.networks_value import CONTRACT


def program_of(*steps: list) -> list:
    return [list(step) for step in steps]


A, B, C = ["leaf", 1.3], ["leaf", -0.6], ["leaf", 2.2]

# each operation: a few programs, one graph each (the last node is the output)
OPERATIONS = {
    "add": [program_of(A, B, ["add", 0, 1]), program_of(A, ["add_c", 0, 2.5]),
            program_of(A, ["c_add", 2, 0])],
    "sub": [program_of(A, B, ["sub", 0, 1]), program_of(A, ["sub_c", 0, 3]),
            program_of(A, ["c_sub", 1, 0]), program_of(B, ["neg", 0])],
    "mul": [program_of(A, B, ["mul", 0, 1]), program_of(A, ["mul_c", 0, 2.5]),
            program_of(A, ["c_mul", 2, 0])],
    "div": [program_of(A, B, ["div", 0, 1]), program_of(A, ["div_c", 0, 4]),
            program_of(B, ["c_div", 3, 0])],
    "pow": [program_of(B, ["pow", 0, 3]), program_of(A, ["pow", 0, 0.5]),
            program_of(B, ["pow", 0, -2])],
    "exp": [program_of(B, ["exp", 0])],
    "tanh": [program_of(A, ["tanh", 0]), program_of(B, ["tanh", 0])],
    "relu": [program_of(A, ["relu", 0]), program_of(B, ["relu", 0])],
    "sum": [program_of(A, B, C, ["sum", [0, 1, 2]])],
    "ints": [program_of(["leaf", 3], ["leaf", -2], ["mul", 0, 1], ["add_c", 2, 1],
                        ["c_sub", 10, 3])],
}
OPERATION_NAMES = {
    "add": "a + b, a + 2.5, 2 + a", "sub": "a - b, a - 3, 1 - a, -a", "mul": "a * b, a * 2.5, 2 * a",
    "div": "a / b, a / 4, 3 / a", "pow": "a ** 3, a ** 0.5, a ** -2", "exp": "a.exp()",
    "tanh": "a.tanh()", "relu": "a.relu() of a positive and a negative a",
    "sum": "sum([a, b, c])", "ints": "Values holding ints: Value(3) * Value(-2) + 1, then 10 - it",
}
OPERATION_REFS = {name: [nv.reference(p) for p in programs] for name, programs in OPERATIONS.items()}

RANDOM_SEEDS = [11, 23, 37, 41, 59, 73]
RANDOM_REFS = {seed: nv.reference(nv.random_program(seed)) for seed in RANDOM_SEEDS}

CHAIN_RULE = nv.reference(program_of(["leaf", 0.7], ["mul_c", 0, 3], ["tanh", 1], ["pow", 2, 2],
                                     ["exp", 3], ["mul_c", 4, 2], ["sub", 5, 1]))
USED_TWICE = nv.reference(program_of(["leaf", 1.5], ["leaf", -0.7], ["mul", 0, 0], ["add", 1, 1],
                                     ["mul", 2, 3]))
SHARED = nv.reference(program_of(["leaf", 0.6], ["mul_c", 0, 2], ["mul_c", 1, 3], ["exp", 1],
                                 ["add", 2, 3]))
RELU_AT_ZERO = nv.reference(program_of(["leaf", 0.0], ["relu", 0], ["mul_c", 1, 3], ["mul_c", 0, 2],
                                       ["add", 2, 3], ["leaf", 1.5], ["sub_c", 5, 1.5],
                                       ["relu", 6], ["mul_c", 7, 4], ["add", 4, 8]))
CHAIN_DEPTH = 10_000
DEEP_CHAIN = nv.reference(program_of(["leaf", 0.5], ["chain", 0, CHAIN_DEPTH, 0.0001, 1.0001]))


def check_program(learner, ref: nv.Reference, what: str) -> None:
    nv.check(nv.run(learner, ref.program), ref, what=what)


@pytest.mark.points(1)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_operation(learner, name):
    """each operation's data and grads, with numbers on either side"""
    for ref in OPERATION_REFS[name]:
        what = "; ".join(nv.describe(ref.program, k) for k in range(len(ref.program)))
        check_program(learner, ref, what)


@pytest.mark.points(1)
@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_random_expression(learner, seed):
    """a random expression using every operation, with shared nodes, matches torch"""
    ref = RANDOM_REFS[seed]
    what = "; ".join(nv.describe(ref.program, k) for k in range(len(ref.program)))
    check_program(learner, ref, what)


@pytest.mark.points(1)
def test_chain_rule(learner):
    """a composition: every grad is out.grad times the local derivative"""
    what = "; ".join(nv.describe(CHAIN_RULE.program, k) for k in range(len(CHAIN_RULE.program)))
    check_program(learner, CHAIN_RULE, what)


@pytest.mark.points(1)
def test_node_used_twice(learner):
    """a * a and b + b: a node used twice gets the sum of both uses"""
    check_program(learner, USED_TWICE, "a = Value(1.5), b = Value(-0.7), out = (a * a) * (b + b)")


@pytest.mark.points(1)
def test_shared_subexpression(learner):
    """a shared inner node: its _backward runs once, after both its uses"""
    check_program(learner, SHARED, "x = Value(0.6), s = x * 2, out = s * 3 + s.exp()")


@pytest.mark.points(1)
def test_relu_at_zero(learner):
    """relu′(0) = 0: no gradient passes through relu at exactly 0"""
    check_program(learner, RELU_AT_ZERO, "x = Value(0.0), out = x.relu() * 3 + x * 2, plus "
                  "z = Value(1.5) - 1.5 (exactly 0), out += z.relu() * 4")


@pytest.mark.points(1)
def test_deep_chain(learner):
    """a chain 10,000 operations deep, under Python's default recursion limit"""
    check_program(learner, DEEP_CHAIN, f"x = Value(0.5), then {CHAIN_DEPTH:,} steps alternating "
                  "v = v + 0.0001 and v = v * 1.0001")


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("x", [2.5, 3, -0.25], ids=["float", "int", "negative"])
def test_new_value(learner, x):
    """Value(x) holds data x and grad 0"""
    result = nv.run(learner, [["leaf", x]], backward=False)
    if not isinstance(result, dict) or "failed" in result:
        checks.fail(f"Value({x!r}) failed: {checks.fmt(result)}", contract=CONTRACT)
    data, grad = result["data"][0], result["grad"][0]
    if checks.read_number(data, arrays=False) != x:
        checks.fail(f"Value({x!r}).data should be {x!r}", expected=x, received=data, contract=CONTRACT)
    if checks.read_number(grad, arrays=False) != 0:
        checks.fail(f"Value({x!r}).grad should be 0 until backward() runs", expected=0,
                    received=grad, contract=CONTRACT)
