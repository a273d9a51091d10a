"""Judge logic for 11_networks/value: Value programs, their torch references, and diagnoses.

A program (see ``grader/sandbox/scenarios/topic_11.py``) is run learner-side on the learner's
Value class by the trusted ``net_value_runner``, and here in float64 torch with the very same
step function (``apply_step``), every node retaining its grad. When a node's data or grad
differs, the diagnosis walks the graph as backpropagation does: the wrong node closest to the
output, whose users all hold the right grad, shows which rule broke (a local derivative, =
instead of +=, a _backward run twice or never, the chain rule's factor out.grad).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

import torch

from grader.grading import checks
from grader.sandbox.codec import Scenario
from grader.sandbox.scenarios.topic_11 import BINARY, apply_step

CONTRACT = ("Value(data): data, grad = 0; +, -, *, / with a Value or an int/float on either side, "
            "-a, a ** k, exp, tanh, relu (relu′(0) = 0); backward() sets its grad to 1 and adds "
            "∂self/∂node into every node's grad, each node's chain rule once, in reverse "
            "topological order, a node used twice getting the sum of its uses; 10,000 nodes deep "
            "under the default recursion limit; data and grads as torch's in float64")
RTOL = 1e-8

SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
DUNDER = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__",
          "c_add": "__radd__", "c_sub": "__rsub__", "c_mul": "__rmul__", "c_div": "__rtruediv__",
          "add_c": "__add__", "sub_c": "__sub__", "mul_c": "__mul__", "div_c": "__truediv__",
          "neg": "__neg__", "pow": "__pow__", "exp": "exp", "tanh": "tanh", "relu": "relu",
          "sum": "__radd__ (sum() starts from 0 + v)", "chain": "__add__ and __mul__"}
REFLECTED = {"+": "__radd__", "-": "__rsub__", "*": "__rmul__", "/": "__rtruediv__"}
REFLECTED_EXAMPLE = {"+": "__radd__(self, other) returns self + other; sum() starts from 0 + v",
                     "-": "__rsub__(self, other) is other - self",
                     "*": "__rmul__(self, other) returns self * other",
                     "/": "__rtruediv__(self, other) is other / self"}
DERIVATIVE = {
    "add": "∂(a + b)/∂a = ∂(a + b)/∂b = 1",
    "sub": "∂(a − b)/∂a = 1 and ∂(a − b)/∂b = −1",
    "mul": "∂(a·b)/∂a = b and ∂(a·b)/∂b = a",
    "div": "∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = −a/b²",
    "add_c": "∂(a + c)/∂a = 1", "c_add": "∂(c + a)/∂a = 1",
    "sub_c": "∂(a − c)/∂a = 1", "c_sub": "∂(c − a)/∂a = −1",
    "mul_c": "∂(a·c)/∂a = c", "c_mul": "∂(c·a)/∂a = c",
    "div_c": "∂(a/c)/∂a = 1/c", "c_div": "∂(c/a)/∂a = −c/a²",
    "neg": "∂(−a)/∂a = −1",
    "pow": "∂(a^k)/∂a = k·a^(k−1)",
    "exp": "∂exp(a)/∂a = exp(a), the output itself",
    "tanh": "∂tanh(a)/∂a = 1 − tanh(a)², from the output t = tanh(a): 1 − t²",
    "relu": "∂relu(a)/∂a = 1 where a > 0 and 0 elsewhere (0 at a = 0 too)",
    "sum": "each term of a sum gets the sum's grad",
    "chain": "the chain rule through every step",
}


# ---------------------------------------------------------------- programs and their reference


def describe(program: list, k: int) -> str:
    """n{k} = its expression, e.g. 'n4 = n1 * n2', 'n3 = 2 - n0', 'n5 = n2.tanh()'."""
    step = program[k]
    kind = step[0]
    if kind == "leaf":
        text = f"Value({step[1]!r})"
    elif kind in BINARY:
        text = f"n{step[1]} {SYMBOL[kind]} n{step[2]}"
    elif kind.endswith("_c"):
        text = f"n{step[1]} {SYMBOL[kind[:-2]]} {step[2]!r}"
    elif kind.startswith("c_"):
        text = f"{step[1]!r} {SYMBOL[kind[2:]]} n{step[2]}"
    elif kind == "neg":
        text = f"-n{step[1]}"
    elif kind == "pow":
        text = f"n{step[1]} ** {step[2]!r}"
    elif kind == "sum":
        text = "sum([" + ", ".join(f"n{i}" for i in step[1]) + "])"
    elif kind == "chain":
        depth, c, m = step[2:]
        text = f"n{step[1]} after {depth:,} steps alternating + {c!r} and * {m!r}"
    else:
        text = f"n{step[1]}.{kind}()"
    return f"n{k} = {text}"


def operands(step: list) -> list[int]:
    """The node indices a step reads, once per use (a * a reads a twice)."""
    kind = step[0]
    if kind == "leaf":
        return []
    if kind in BINARY:
        return [step[1], step[2]]
    if kind.startswith("c_"):
        return [step[2]]
    if kind == "sum":
        return list(step[1])
    return [step[1]]


def local_derivatives(step: list, data: list[float]) -> list[float]:
    """∂(this node)/∂(each operand), in the order of ``operands``, at the reference data."""
    kind = step[0]
    ins = [data[i] for i in operands(step)]
    if kind == "leaf":
        return []
    if kind in ("add", "sub", "mul", "div"):
        a, b = ins
        if kind == "div":
            return [1 / b, -a / b**2]
        return {"add": [1.0, 1.0], "sub": [1.0, -1.0], "mul": [b, a]}[kind]
    if kind == "sum":
        return [1.0] * len(ins)
    (a,) = ins
    if kind.endswith("_c") or kind.startswith("c_"):
        op = kind[:-2] if kind.endswith("_c") else kind[2:]
        c = step[2] if kind.endswith("_c") else step[1]
        if op == "div":
            return [1 / c] if kind.endswith("_c") else [-c / a**2]
        return [{"add": 1.0, "sub": 1.0 if kind.endswith("_c") else -1.0, "mul": c}[op]]
    if kind == "neg":
        return [-1.0]
    if kind == "pow":
        return [step[2] * a ** (step[2] - 1)]
    if kind == "exp":
        return [math.exp(a)]
    if kind == "tanh":
        return [1 - math.tanh(a) ** 2]
    if kind == "relu":
        return [1.0 if a > 0 else 0.0]
    if kind == "chain":
        depth, _, m = step[2:]
        return [m ** (depth // 2)]
    raise ValueError(kind)


@dataclass(frozen=True)
class Reference:
    program: list
    data: list[float]
    grad: list[float]
    uses: list[list[tuple[int, float]]] = field(default_factory=list)  # per node: (user, share)
    relu_at_zero: list[float] | None = None  # the grads if relu′(0) were 1 (None: no relu at 0)


def _torch_run(program: list, relu_slope_at_zero: float = 0.0) -> tuple[list[float], list[float]]:
    def leaf(x: float) -> torch.Tensor:
        return torch.tensor(float(x), dtype=torch.float64, requires_grad=True)

    nodes: list[torch.Tensor] = []
    for step in program:
        if step[0] == "relu" and relu_slope_at_zero:
            a = nodes[step[1]]
            node = torch.relu(a) + (a - a.detach()) * float(a.detach() == 0) * relu_slope_at_zero
        elif step[0] == "chain":
            node = _chain(nodes[step[1]], *step[2:])
        else:
            node = apply_step(leaf, nodes, step)
        if not node.is_leaf:
            node.retain_grad()
        nodes.append(node)
    nodes[-1].backward()
    data = [float(n.detach()) for n in nodes]
    grad = [float(n.grad) if n.grad is not None else 0.0 for n in nodes]
    return data, grad


def _chain(a: torch.Tensor, depth: int, c: float, m: float) -> torch.Tensor:
    """A chain step as one torch node (10,000 of them would cost a tenth of a second): its value
    by the very float64 steps (+ c, * m, …), its derivative the product of the m's, multiplied in
    the order backpropagation multiplies them."""
    value, slope = float(a.detach()), 1.0
    for j in range(depth):
        if j % 2 == 0:
            value = value + c
        else:
            value, slope = value * m, slope * m
    return (a - a.detach()) * slope + value


def reference(program: list) -> Reference:
    """Data and grads of every node by torch in float64, and each node's uses with their shares
    (user's grad × local derivative)."""
    data, grad = _torch_run(program)
    uses: list[list[tuple[int, float]]] = [[] for _ in program]
    for k, step in enumerate(program):
        for i, local in zip(operands(step), local_derivatives(step, data), strict=True):
            uses[i].append((k, grad[k] * local))
    at_zero = any(step[0] == "relu" and data[step[1]] == 0 for step in program)
    return Reference(program, data, grad, uses, _torch_run(program, 1.0)[1] if at_zero else None)


def close(got: float, want: float, scale: float) -> bool:
    return abs(got - want) <= RTOL * abs(want) + 1e-12 * max(scale, 1.0)


# ---------------------------------------------------------------- random programs


def random_program(seed: int, n_leaves: int = 4, n_ops: int = 18) -> list:
    """A seeded expression using every operation, with shared nodes, whose values stay in
    [0.05, 20] in size (no overflow, no cancellation worth a digit), and a modest number of
    paths (a topological sort that forgets visited nodes stays fast, only wrong)."""
    rng = random.Random(seed)
    kinds = ["add", "sub", "mul", "div", "add_c", "sub_c", "mul_c", "div_c", "c_add", "c_sub",
             "c_mul", "c_div", "neg", "pow", "exp", "tanh", "relu", "sum"]
    program: list = []
    values: list[float] = []
    for _ in range(n_leaves):
        x = rng.choice([rng.randint(-3, 3) or 2, round(rng.uniform(-2.0, 2.0), 3) or 0.5])
        if abs(x) < 0.1:
            x = 0.75
        program.append(["leaf", x])
        values.append(float(x))
    todo = kinds[:]
    rng.shuffle(todo)
    while len(program) < n_leaves + n_ops:
        kind = todo.pop() if todo else rng.choice(kinds)
        for _ in range(200):
            step = _random_step(rng, kind, len(program))
            value = _value_of(step, values)
            if value is not None and 0.05 <= abs(value) <= 20 and _paths_ok(program + [step]):
                program.append(step)
                values.append(value)
                break
    # the output sums every node nothing uses yet, so no node is left out of the graph
    unused = [k for k in range(len(program)) if not any(k in operands(s) for s in program)]
    if len(unused) >= 2:
        program.append(["sum", unused])
    return program


def _random_step(rng: random.Random, kind: str, n: int) -> list:
    def pick() -> int:  # recent nodes more often: deeper graphs
        return max(0, n - 1 - int(rng.expovariate(0.35)))

    const = rng.choice([2, 3, -1, 0.5, 1.5, -2.5, 4])
    if kind in BINARY:
        return [kind, pick(), pick()]
    if kind.endswith("_c"):
        return [kind, pick(), const]
    if kind.startswith("c_"):
        return [kind, const, pick()]
    if kind == "pow":
        return ["pow", pick(), rng.choice([2, 3, -1, 0.5, 1.5, -2])]
    if kind == "sum":
        return ["sum", [pick() for _ in range(rng.randint(2, 3))]]
    return [kind, pick()]


def _value_of(step: list, values: list[float]) -> float | None:
    kind = step[0]
    try:
        if kind == "pow":
            a, k = values[step[1]], step[2]
            if (isinstance(k, float) and a <= 0.1) or (k < 0 and abs(a) < 0.5):
                return None
            return a**k
        if kind in ("div", "c_div") and abs(values[step[2]]) < 0.5:
            return None
        if kind == "tanh" and abs(values[step[1]]) < 0.1:
            return None
        if kind == "exp" and values[step[1]] > 2.5:
            return None
        tensors = [torch.tensor(v, dtype=torch.float64) for v in values]
        result = float(apply_step(lambda x: torch.tensor(float(x), dtype=torch.float64), tensors, step))
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _paths_ok(program: list, limit: int = 64) -> bool:
    """Paths from the last node to each node stay few (what a sort without a visited set walks)."""
    paths = [0] * len(program)
    paths[-1] = 1
    for k in range(len(program) - 1, -1, -1):
        for i in operands(program[k]):
            paths[i] += paths[k]
    return max(paths) <= limit


# ---------------------------------------------------------------- running a program learner-side


def run(learner, program: list, backward: bool = True) -> Any:
    """The runner's answer for ``program`` on the learner's Value (a dict), or a failure."""
    witness, runner = learner.shared("value runner", lambda: (
        learner.call("Value", 0.5), learner.make(Scenario("net_value_runner"))))
    if witness.raised is not None:
        if witness.raised.is_a("NotImplementedError"):
            checks.fail("Value(data) is not written yet: its __init__ still raises "
                        "NotImplementedError", contract=CONTRACT)
        checks.fail(f"Value(0.5) raised {witness.raised.describe()}", contract=CONTRACT)
    return learner.call_ref(runner, witness.returned, program, backward).value


def error_hint(step: list | None, error: dict) -> str:
    """What an exception raised while building (step) or in backward() (None) suggests."""
    kind_of, message = error.get("type", ""), error.get("message", "")
    if step is None:
        if kind_of == "RecursionError":
            return ("backward() went past Python's recursion limit: a recursive topological "
                    "sort needs one stack frame per node. Build the order with an explicit stack "
                    "(a list you append to and pop from, in a while loop)")
        return "backward() failed"
    kind = step[0]
    dunder = DUNDER.get(kind, kind)
    operator = re.search(r"for (\S+): '(\w+)' and '(\w+)'", message)
    if operator and operator.group(2) in ("int", "float") and operator.group(1) in REFLECTED:
        symbol = operator.group(1)
        return (f"a number on the left of {symbol} asks the Value on its right for "
                f"{REFLECTED[symbol]}: define it ({REFLECTED_EXAMPLE[symbol]})")
    if "unsupported operand" in message:
        return f"Value needs {dunder}"
    if "has no attribute 'data'" in message or "has no attribute '_prev'" in message:
        return ("an int or float operand has no .data: wrap plain numbers first, other = other "
                "if isinstance(other, Value) else Value(other)")
    if "has no attribute" in message:
        return f"Value needs {dunder}"
    return f"look at Value.{dunder}"


def _where(error: dict) -> str:
    line = error.get("line")
    text = f"{error.get('type', 'an exception')}: {error.get('message', '')}".rstrip(": ")
    return f"{text} (line {line})" if isinstance(line, int) else text


def check(result: Any, ref: Reference, *, what: str) -> None:
    """Compare the runner's answer with the reference; fail naming the likely mistake."""
    program = ref.program
    shown = f"{what}; the last node is the output" if len(program) > 1 else what
    if not isinstance(result, dict):
        checks.fail(f"{what}: the program runner returned {checks.fmt(result)}", contract=CONTRACT)
    if "failed" in result:
        _check_failure(result, ref, shown)
    data = [checks.read_number(v, arrays=False) for v in result.get("data", [])]
    grad = [checks.read_number(v, arrays=False) for v in result.get("grad", [])]
    if len(data) != len(program) or len(grad) != len(program):
        checks.fail(f"{what}: the runner returned {len(data)} values for {len(program)} nodes",
                    contract=CONTRACT)
    scale_d = max(abs(v) for v in ref.data)
    for k, (got, want) in enumerate(zip(data, ref.data, strict=True)):
        if got is None or not close(got, want, scale_d):
            _wrong_data(k, got, result["data"][k], ref, shown, data)
    _check_grads(grad, result["grad"], ref, shown)


def _check_failure(result: dict, ref: Reference, shown: str) -> None:
    program = ref.program
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    at = result["failed"]
    mro = error.get("mro") if isinstance(error.get("mro"), list) else []
    if at == "backward":
        if "NotImplementedError" in mro:
            checks.fail("Value.backward is not written yet: it still raises NotImplementedError",
                        contract=CONTRACT)
        checks.fail(f"backward() on {describe(program, len(program) - 1)} raised {_where(error)}: "
                    f"{error_hint(None, error)}", inputs=shown, contract=CONTRACT)
    if not isinstance(at, int) or not 0 <= at < len(program):
        checks.fail("the program runner failed", contract=CONTRACT)
    step = program[at]
    if "NotImplementedError" in mro:
        name = error.get("function") if isinstance(error.get("function"), str) else (
            "__init__" if step[0] == "leaf" else DUNDER.get(step[0], step[0]).split(" ")[0])
        checks.fail(f"Value.{name} is not written yet: it still raises NotImplementedError "
                    f"(computing {describe(program, at)})", contract=CONTRACT)
    checks.fail(f"computing {describe(program, at)} raised {_where(error)}: {error_hint(step, error)}",
                inputs=shown, contract=CONTRACT)


def _wrong_data(k: int, got: float | None, raw: Any, ref: Reference, shown: str,
                data: list) -> None:
    program = ref.program
    step = program[k]
    kind = step[0]
    want = ref.data[k]
    details = {"inputs": shown, "expected": want, "received": got if got is not None else raw,
               "contract": CONTRACT}
    if got is None:
        checks.fail(f"{describe(program, k)}: its .data is {checks.fmt(raw)}, not a number "
                    "(an int or a float)", **details)
    hint = ""
    args = [ref.data[i] for i in operands(step)]
    if kind == "c_sub" and close(got, args[0] - step[1], 1.0):
        hint = ": c - v computed v - c; __rsub__(self, other) is other - self"
    elif kind == "c_div" and close(got, args[0] / step[1], 1.0):
        hint = ": c / v computed v / c; __rtruediv__(self, other) is other / self"
    elif kind == "relu" and close(got, args[0], 1.0):
        hint = ": relu must give 0 where its input is negative"
    elif kind == "leaf":
        hint = ": Value(x).data must be x itself"
    checks.fail(f"the value of {describe(program, k)} is wrong{hint}", **details)


def _check_grads(grad: list, raw: list, ref: Reference, shown: str) -> None:
    program = ref.program
    n = len(program)
    scale = max(abs(v) for v in ref.grad)
    wrong = [k for k in range(n) if grad[k] is None or not close(grad[k], ref.grad[k], scale)]
    if not wrong:
        return
    details = {"inputs": shown, "contract": CONTRACT}
    bad = next((k for k in wrong if grad[k] is None), None)
    if bad is not None:
        checks.fail(f"{describe(program, bad)}: its .grad is {checks.fmt(raw[bad])}, not a number",
                    **details)
    last = n - 1
    if last in wrong:
        checks.fail(f"after backward(), the output's own grad is {grad[last]:.6g}: backward() "
                    "sets it to 1 before anything else", **details)
    if ref.relu_at_zero is not None and all(
            close(g, r, scale) for g, r in zip(grad, ref.relu_at_zero, strict=True)):
        checks.fail("relu passed a gradient at an input of exactly 0: relu′(0) is 0 (as in "
                    "torch), so use data > 0, not data >= 0", **details)
    k = max(wrong)  # every node that uses k holds the right grad
    got, want = grad[k], ref.grad[k]
    shares = ref.uses[k]
    users = sorted({u for u, _ in shares})
    where = describe(program, k)
    used_by = "; ".join(describe(program, u) for u in users)
    details.update(expected=want, received=got,
                   extra=f"{where} is used by: {used_by}" if users else None)
    if len(shares) >= 2 and any(close(got, s, scale) for _, s in shares):
        checks.fail(f"{where} is used {len(shares)} times but its grad holds only one use's "
                    "share: each _backward must add to the grads (+=), never assign (=)", **details)
    if got == 0 and want != 0:
        checks.fail(f"{where} got no gradient although the nodes that use it have theirs: its "
                    "users' _backward ran before their own grad was complete, or never. Call "
                    "every node's _backward once, in reverse topological order (the output "
                    "first, each node only after every node that uses it)", **details)
    locals_only = sum(s / ref.grad[u] for u, s in shares if ref.grad[u] != 0)
    if any(ref.grad[u] not in (0.0, 1.0) for u in users) and close(got, locals_only, scale):
        checks.fail(f"{where}: its grad holds only the local derivatives: multiply each by "
                    "out.grad (the chain rule), as in self.grad += local * out.grad", **details)
    twice = (f"{where} received a share of the gradient more than once: some _backward ran "
             "twice, as a node sits twice in the topological order. Visit each node once when "
             "you build the order (keep a set of the nodes already visited)")
    if len(shares) >= 2 and _counted_twice(got, shares, scale):
        checks.fail(twice, **details)
    if len(users) == 1 and len(ref.uses[users[0]]) >= 2 and got * want > 0 and \
            abs(got) > abs(want) * (1 + 1e-6):
        checks.fail(twice, **details)
    kinds = sorted({program[u][0] for u in users})
    if len(users) == 1 and kinds[0] in DERIVATIVE:
        checks.fail(f"the gradient that {describe(program, users[0])} passes back to n{k} is "
                    f"wrong: {DERIVATIVE[kinds[0]]} (check its _backward)", **details)
    rules = "; ".join(DERIVATIVE[kind] for kind in kinds if kind in DERIVATIVE)
    checks.fail(f"the grad of {where} is wrong although every node that uses it has the right "
                f"grad: check the _backward of {', '.join(kinds)} ({rules}), and that each runs "
                "once, after every node that uses it", **details)


def _counted_twice(got: float, shares: list[tuple[int, float]], scale: float) -> bool:
    """got = the right sum plus some of its shares once more."""
    want = sum(s for _, s in shares)
    for mask in range(1, 2 ** min(len(shares), 8)):
        extra = sum(s for j, (_, s) in enumerate(shares) if mask >> j & 1)
        if close(got, want + extra, scale):
            return True
    return False
