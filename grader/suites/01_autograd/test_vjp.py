"""Hidden suite for 01_autograd/vjp."""


import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Scenario, TensorSeen

CONTRACT = ("vjp(f, x, v) -> Tensor: vᵀ·J_f(x), shape of x: what f(x).backward(v) leaves in "
            "x.grad; must not modify x (values, requires_grad, .grad); no graph on the result")


# ---------------------------------------------------------------- the judge's float64 references


def closed_form(name: str, params: dict, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """vᵀ·J from the derivative written out by hand, in float64."""
    if name == "matvec":
        return torch.tensor(params["matrix"], dtype=torch.float64).T @ v
    if name == "tanh_outer":
        w = torch.tensor(params["weights"], dtype=torch.float64)
        t = torch.tanh(x)
        return v * (1 - t**2) * (w * x).sum() + w * (v * t).sum()
    if name == "poly":
        return v * sum(k * c * x ** (k - 1) for k, c in enumerate(params["coeffs"]) if k > 0)
    if name == "sin_exp":
        return v * torch.exp(x / 2) * (torch.cos(x) + torch.sin(x) / 2)
    if name == "quadratic":
        a = torch.tensor(params["matrix"], dtype=torch.float64)
        return v * (0.5 * (a + a.T) @ x + torch.tensor(params["vector"], dtype=torch.float64))
    raise KeyError(name)


def jacobian_fd(name: str, params: dict, x: torch.Tensor, delta: float = 1e-6) -> torch.Tensor:
    """∂f[i]/∂x[j] by central differences of the scenario itself, for a float64 x; shape f(x).shape
    + x.shape."""
    f = scenarios.judge_side(Scenario(name, params))
    columns = []
    for j in range(x.numel()):
        step = torch.zeros(x.numel(), dtype=torch.float64)
        step[j] = delta
        step = step.reshape(x.shape)
        columns.append((f(x + step) - f(x - step)) / (2 * delta))
    return torch.stack(columns, dim=-1).reshape(*f(x).shape, *x.shape)


def vjp_fd(name: str, params: dict, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    jac = jacobian_fd(name, params, x)
    return (v.reshape(-1) @ jac.reshape(v.numel(), x.numel())).reshape(x.shape)


def reference(name: str, params: dict, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The closed form in float64, in x's dtype (tests/test_published_numbers_01_02_04_14.py checks
    every case's closed form against central differences)."""
    return closed_form(name, params, x.detach().double(), v.double()).to(x.dtype)




def wrong_answers(name: str, params: dict, x: torch.Tensor, v: torch.Tensor) -> checks.OnMiss:
    return checks.OnMiss(lambda: known_wrong(name, params, x, v))


def known_wrong(name: str, params: dict, x: torch.Tensor, v: torch.Tensor) -> dict:
    x64, v64 = x.detach().double(), v.double()
    known = {}
    jac = jacobian_fd(name, params, x64)
    if x64.dim() == 1 and v64.dim() == 1 and jac.shape[0] == jac.shape[1]:
        j_times_v = jac @ v64
        if not checks.close(j_times_v, closed_form(name, params, x64, v64)):
            known["you computed J·v (the Jacobian times v); backward gives vᵀ·J, that is Jᵀ·v"] = \
                j_times_v
    ones = torch.ones_like(v64)
    if not checks.close(ones, v64):
        known["v is missing: that is the gradient of f(x).sum(), i.e. backward with v = ones"] = \
            closed_form(name, params, x64, ones)
    return known


def describe(name: str, params: dict) -> str:
    if name == "matvec":
        return f"A @ x with A = {params['matrix']}"
    if name == "tanh_outer":
        return f"tanh(x)·(w·x).sum() with w = {params['weights']}"
    if name == "poly":
        return f"Σ c_k·x^k elementwise with c = {params['coeffs']}"
    if name == "sin_exp":
        return "sin(x)·exp(x/2) elementwise"
    if name == "quadratic":
        return f"½·xᵀAx + bᵀx with A = {params['matrix']}, b = {params['vector']}"
    return name


def shown(name: str, params: dict, x: torch.Tensor, v: torch.Tensor, **more) -> str:
    parts = [f"f(x) = {describe(name, params)}", f"x = {checks.fmt(x)}"]
    parts += [f"{key} = {checks.fmt(value)}" for key, value in more.items()]
    return ", ".join([*parts, f"v = {checks.fmt(v)}"])


def lenient(outcome, dtype: torch.dtype) -> object:
    """Values only: a wrong dtype or a graph left on the result is tested on its own."""
    seen = outcome.value
    if isinstance(seen, TensorSeen) and seen.value.is_floating_point():
        return TensorSeen(value=seen.value.to(dtype))
    return seen


def rounded(seed: int, *shape: int, scale: float = 1.0) -> list:
    return (cases.randn(seed, *shape, scale=scale) * 100).round().div(100).tolist()


# ---------------------------------------------------------------- cases

F32, F64 = torch.float32, torch.float64

VALUE_CASES = [
    # id, scenario, params, x, v
    ("seed-2x2", "matvec", {"matrix": [[1.0, 2.0], [3.0, 4.0]]},
     torch.tensor([0.5, -1.0], dtype=F32), torch.tensor([1.0, 1.0], dtype=F32)),
    ("matvec-3x3", "matvec", {"matrix": rounded(1, 3, 3)},
     cases.randn(2, 3, dtype=F64), cases.randn(3, 3, dtype=F64)),
    ("matvec-2x4", "matvec", {"matrix": rounded(4, 2, 4)},
     cases.randn(5, 4, dtype=F32), cases.randn(6, 2, dtype=F32)),
    ("matvec-N1", "matvec", {"matrix": [[2.5]]},
     torch.tensor([3.0], dtype=F64), torch.tensor([-2.0], dtype=F64)),
    ("matvec-large", "matvec", {"matrix": rounded(7, 3, 3, scale=1e3)},
     cases.randn(8, 3, dtype=F64, scale=1e2), cases.randn(9, 3, dtype=F64, scale=10.0)),
    ("tanh_outer-5", "tanh_outer", {"weights": rounded(10, 5)},
     cases.randn(11, 5, dtype=F64), cases.randn(12, 5, dtype=F64)),
    ("tanh_outer-4-f32", "tanh_outer", {"weights": rounded(13, 4)},
     cases.randn(14, 4, dtype=F32), cases.randn(15, 4, dtype=F32)),
    ("poly-3x4", "poly", {"coeffs": [1.0, -2.0, 0.5, 0.1]},
     cases.randn(16, 3, 4, dtype=F32), cases.randn(17, 3, 4, dtype=F32)),
    ("sin_exp-6", "sin_exp", {},
     cases.randn(18, 6, dtype=F64, scale=2.0), cases.randn(19, 6, dtype=F64)),
    ("quadratic-scalar-v", "quadratic", {"matrix": rounded(20, 3, 3), "vector": rounded(21, 3)},
     cases.randn(22, 3, dtype=F64), torch.tensor(-1.5, dtype=F64)),
]


def case_params(chosen: list[str] | None = None, expected=reference) -> list:
    """The cases, each with its expected result (``expected``: the closed form, or another
    reference), computed once at collection."""
    return [pytest.param(*case[1:], expected(*case[1:]), id=case[0]) for case in VALUE_CASES
            if chosen is None or case[0] in chosen]


def fd_reference(name: str, params: dict, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return vjp_fd(name, params, x.double(), v.double()).to(x.dtype)


# ---------------------------------------------------------------- tests


@pytest.mark.points(1)
@pytest.mark.parametrize("name, params, x, v, expected", case_params())
def test_matches_closed_form(learner, name, params, x, v, expected):
    """vᵀ·J against the derivative written out by hand"""
    outcome = learner.call("vjp", Scenario(name, params), x, v)
    checks.tensor(lenient(outcome, x.dtype), expected, call="vjp(f, x, v)",
                  inputs=shown(name, params, x, v), contract=CONTRACT,
                  known=wrong_answers(name, params, x, v))


@pytest.mark.points(1)
@pytest.mark.parametrize("name, params, x, v, numeric",
                         case_params(["tanh_outer-5", "sin_exp-6"], expected=fd_reference))
def test_matches_finite_differences(learner, name, params, x, v, numeric):
    """vᵀ·J against a float64 central-difference Jacobian"""
    outcome = learner.call("vjp", Scenario(name, params), x, v)
    checks.tensor(lenient(outcome, x.dtype), numeric, call="vjp(f, x, v)",
                  inputs=shown(name, params, x, v), contract=CONTRACT,
                  known=wrong_answers(name, params, x, v), rtol=1e-6, atol=1e-8)


TYPE_PARAMS = {"weights": [0.5, -1.0, 2.0]}


def type_case(dtype: torch.dtype) -> tuple:
    """x, v and the expected vᵀ·J, in this dtype."""
    x, v = cases.randn(31, 3, dtype=dtype), cases.randn(32, 3, dtype=dtype)
    return x, v, reference("tanh_outer", TYPE_PARAMS, x, v)


TYPE_CASES = {dtype: type_case(dtype) for dtype in cases.DTYPES}


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_result_type(learner, dtype):
    """a plain tensor in x's dtype and shape, with no graph"""
    params = TYPE_PARAMS
    x, v, expected = TYPE_CASES[dtype]
    outcome = learner.call("vjp", Scenario("tanh_outer", params), x, v)
    checks.tensor(outcome, expected, call="vjp(f, x, v)",
                  inputs=shown("tanh_outer", params, x, v),
                  contract=CONTRACT, differentiable=False)


UNCHANGED_CASES = [
    pytest.param(False, None, id="x-plain"),
    pytest.param(True, None, id="x-requires-grad"),
    pytest.param(True, [10.0, -20.0, 30.0], id="x-with-old-grad"),
]


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("requires_grad, old_grad", UNCHANGED_CASES)
def test_x_unchanged(learner, requires_grad, old_grad):
    """leaves x as it was: values, requires_grad, .grad"""
    x = cases.randn(41, 3, dtype=torch.float64).requires_grad_(requires_grad)
    if old_grad is not None:
        x.grad = torch.tensor(old_grad, dtype=torch.float64)
    v = cases.randn(42, 3, dtype=torch.float64)
    outcome = learner.call("vjp", Scenario("matvec", {"matrix": [[1.0, 2.0, 0.0],
                                                                 [0.0, -1.0, 3.0],
                                                                 [2.0, 0.0, 1.0]]}), x, v)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[1], name="x", call="vjp(f, x, v)", contract=CONTRACT)


OLD_PARAMS = {"weights": [1.0, -0.5, 0.25]}
OLD_X, OLD_V = cases.randn(51, 3, dtype=torch.float64), cases.randn(52, 3, dtype=torch.float64)
OLD_EXPECTED = reference("tanh_outer", OLD_PARAMS, OLD_X, OLD_V)


def old_grad_wrong(old: torch.Tensor) -> dict:
    known = known_wrong("tanh_outer", OLD_PARAMS, OLD_X, OLD_V)
    known["your result includes the .grad that x already held: backward accumulates into .grad, "
          "so run it on a fresh copy of x, or use torch.autograd.grad"] = OLD_EXPECTED + old
    return known


@pytest.mark.points(1)
def test_old_grad_not_in_result(learner):
    """an x that already holds a .grad: the result is the fresh vᵀ·J alone"""
    params, v = OLD_PARAMS, OLD_V
    x = OLD_X.clone().requires_grad_(True)
    old = torch.tensor([100.0, -200.0, 300.0], dtype=torch.float64)
    x.grad = old.clone()
    outcome = learner.call("vjp", Scenario("tanh_outer", params), x, v)
    checks.tensor(lenient(outcome, x.dtype), OLD_EXPECTED, call="vjp(f, x, v)",
                  inputs=shown("tanh_outer", params, x, v, **{"x.grad": old}),
                  contract=CONTRACT, known=checks.OnMiss(lambda: old_grad_wrong(old)))
