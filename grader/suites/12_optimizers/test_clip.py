"""Hidden suite for 12_optimizers/clip."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen

CONTRACT = ("clip_grad_norm_(params, max_norm) -> Tensor: params a tensor or an iterable (a "
            "generator too); total = the 2-norm of all the .grad that are not None, together; "
            "every .grad multiplied in place (same objects) by min(1, max_norm/(total + 1e-6)), "
            "always; returns total from before, 0-d, in the gradients' dtype, no graph; tensor(0.) "
            "when no parameter has a gradient; values untouched. Same as "
            "torch.nn.utils.clip_grad_norm_, without it, get_total_norm or clip_grads_with_norm_")
FORBIDDEN = ("torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_norm",
             "torch.nn.utils.get_total_norm", "torch.nn.utils.clip_grads_with_norm_",
             "torch.nn.utils.clip_grad")
NONE_FOUND = ("no gradient was found, though some parameters have one: read p.grad of every "
              "parameter you were given")
NOT_SCALED = ("the gradients were not scaled: multiply each p.grad in place by "
              "min(1, max_norm/(total + 1e-6)); if params is a generator it can be walked through "
              "only once, so make a list of it first")


# ---------------------------------------------------------------- cases and torch's answers


class Case:
    """Parameters, their gradients (None: no gradient), max_norm, and torch's answer in float64."""

    def __init__(self, values: list[torch.Tensor], grads: list[torch.Tensor | None],
                 max_norm: float, atol: float | None = None) -> None:
        self.values, self.grads, self.max_norm = values, grads, max_norm
        self.atol = atol  # for tiny gradients: the default is absolute below 1, too loose here
        self.dtype = values[0].dtype
        ps = [v.double().clone().requires_grad_(True) for v in values]
        for p, g in zip(ps, grads, strict=True):
            p.grad = None if g is None else g.double().clone()
        self.total = torch.nn.utils.clip_grad_norm_(ps, max_norm).detach()
        self.after = [p.grad for p in ps]
        self.names = ["W", "b", "s", "U"][:len(values)]

    def present(self) -> list[torch.Tensor]:
        return [g.double() for g in self.grads if g is not None]

    def scaled(self, coef: Callable) -> list[torch.Tensor | None]:
        return [None if g is None else g.double() * coef(g.double()) for g in self.grads]

    def known_grads(self) -> dict[str, list]:
        total = math.sqrt(sum(float((g * g).sum()) for g in self.present()))
        m = self.max_norm
        return {
            "each gradient was clipped by its own norm; clip them together, by the norm of all of "
            "them as one vector": self.scaled(lambda g: min(1.0, m / (float(g.norm()) + 1e-6))),
            "the 1e-6 is missing: torch scales by max_norm/(total + 1e-6), which matters when the "
            "total is small": self.scaled(lambda g: min(1.0, m / total)),
            "the gradients were scaled up: the factor is min(1, max_norm/(total + 1e-6)), never "
            "above 1": self.scaled(lambda g: m / (total + 1e-6)),
            "the total was taken without its square root (the sum of squares): total = "
            "sqrt(sum of every gradient element squared)":
                self.scaled(lambda g: min(1.0, m / (total**2 + 1e-6))),
            "the total is the sum of each gradient's norm; it is the norm of all of them together: "
            "sqrt of the sum of all squares": self.scaled(
                lambda g: min(1.0, m / (sum(float(h.norm()) for h in self.present()) + 1e-6))),
            NOT_SCALED: self.scaled(lambda g: 1.0),
        }

    def known_totals(self) -> dict[str, float]:
        norms = [float(g.norm()) for g in self.present()]
        total = math.sqrt(sum(n * n for n in norms))
        return {
            "the total after clipping was returned; return the total from before": min(
                total, total * self.max_norm / (total + 1e-6)),
            "the total is missing its square root (that is the sum of squares)": total**2,
            "the total is the sum of each gradient's norm; it is the norm of all of them "
            "together: sqrt of the sum of all squares": sum(norms),
            "the total is the largest single gradient's norm; it is the norm of all of them "
            "together": max(norms),
        }


def random_case(seed: int, dtype: torch.dtype, scale: float, max_norm: float,
                missing: tuple[int, ...] = (), extra: bool = False, atol: float | None = None) -> Case:
    shapes = [(3, 4), (3,), ()] + ([(2, 2)] if extra else [])
    values = [cases.randn(seed + i, *shape, dtype=dtype) for i, shape in enumerate(shapes)]
    grads = [None if i in missing else cases.randn(seed + 10 + i, *shape, dtype=dtype, scale=scale,
                                                   shift=0.3 * scale)
             for i, shape in enumerate(shapes)]
    return Case(values, grads, max_norm, atol)


CASES = {
    "float32-clipped": random_case(10, torch.float32, 2.0, 1.0),
    "float64-clipped-one-without-grad": random_case(20, torch.float64, 5.0, 5.0, missing=(1,),
                                                    extra=True),
    "float64-below-max-norm": random_case(30, torch.float64, 0.1, 2.0),
    "float32-tiny-gradients": random_case(40, torch.float32, 5e-5, 1e-4, atol=1e-10),
}
SEEDS = {dtype: Case([torch.zeros(2, dtype=dtype)], [torch.tensor([3.0, 4.0], dtype=dtype)], 5.0)
         for dtype in cases.DTYPES}
SINGLE = random_case(50, torch.float64, 3.0, 2.0)
GENERATOR = random_case(60, torch.float32, 3.0, 2.0)
NO_GRADS = random_case(70, torch.float64, 1.0, 1.0, missing=(0, 1, 2))


# ---------------------------------------------------------------- calling and reading


def shared_run(learner, case: Case):
    """run(learner, case), made once per submission (a judge grades one): the tests of the
    total, of the gradients and of the rules read the same call, each judging it itself. A run
    that fails is not kept, so the next test runs it again and fails its own way."""
    return learner.shared(("run", case), lambda: run(learner, case))


def run(learner, case: Case, params: str = "optim_param_list", watch: tuple[str, ...] = (),
        **extra):
    """clip_grad_norm_ on the case's parameters (built learner-side with their gradients):
    what it returned, and the parameters as it left them."""
    model = learner.make(Scenario("optim_model", {"values": case.values, "grads": [case.grads],
                                                  "set_grads": True}))
    outcome = learner.call("clip_grad_norm_", Scenario(params, {"model": model, **extra}),
                           case.max_norm, watch=watch)
    raised = outcome.raised
    if raised is not None and "NoneType" in raised.message:
        checks.fail(f"clip_grad_norm_ raised {raised.describe()}: a parameter whose .grad is None "
                    "takes no part; skip it", contract=CONTRACT)
    outcome.value  # noqa: B018 - surfaces any other exception
    report = learner.call_ref(model, attr="report").value
    return outcome, report


def inputs(case: Case, params: str = "a list") -> dict:
    shown = {f"{name}.grad": "None" if g is None else g for name, g in zip(case.names, case.grads,
                                                                          strict=True)}
    return {"params": params, **shown, "max_norm": case.max_norm}


def check_total(outcome, case: Case, *, call: str = "clip_grad_norm_(params, max_norm)",
                params: str = "a list", rtol: float | None = None, atol: float | None = None,
                known: dict | None = None) -> None:
    atol = case.atol if atol is None else atol
    if isinstance(outcome.value, float | int) and not isinstance(outcome.value, bool):
        checks.fail(f"{call} returned a Python {type(outcome.value).__name__}; return the total as "
                    "a 0-d tensor, in the gradients' dtype", received=outcome.value,
                    expected=case.total.to(case.dtype), contract=CONTRACT)
    known = case.known_totals() if known is None else known
    seen = outcome.value
    if (isinstance(seen, TensorSeen) and seen.value.numel() == 1 and float(seen.value) == 0.0
            and float(case.total) != 0.0):
        checks.fail(f"{call} returned 0: {known.get(0.0, NONE_FOUND)}", inputs=inputs(case, params),
                    expected=case.total.to(case.dtype), received=seen, contract=CONTRACT)
    checks.tensor(outcome, case.total.to(case.dtype), call=call + ": the returned total",
                  inputs=inputs(case, params), contract=CONTRACT, rtol=rtol, atol=atol,
                  known={label: torch.tensor(value, dtype=torch.float64)
                         for label, value in known.items() if isinstance(label, str)})


def check_grads(report, case: Case, *, call: str = "clip_grad_norm_(params, max_norm)",
                params: str = "a list", rtol: float | None = None, atol: float | None = None,
                known: dict | None = None) -> None:
    atol = case.atol if atol is None else atol
    seen = report["params"]
    known = case.known_grads() if known is None else known
    for i, (name, after, expected) in enumerate(zip(case.names, seen, case.after, strict=True)):
        if expected is None:
            if after.grad is not None:
                checks.fail(f"{call} gave {name} a gradient, where it had none: a parameter whose "
                            ".grad is None takes no part and keeps None", received=after.grad,
                            contract=CONTRACT)
            continue
        if after.grad is None:
            checks.fail(f"{call} cleared {name}.grad: scale each gradient in place, never remove "
                        "it", contract=CONTRACT)
        checks.tensor(after.grad, expected.to(case.dtype), call=f"{call}: {name}.grad afterwards",
                      inputs=inputs(case, params), contract=CONTRACT, rtol=rtol, atol=atol,
                      known={label: grads[i] for label, grads in known.items()})


# ---------------------------------------------------------------- the seed


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_seed(learner, dtype):
    """seed: grad [3, 4], max_norm 5 returns 5 and scales by 5/(5 + 1e-6) = 0.9999998"""
    case = SEEDS[dtype]
    outcome, report = run(learner, case)
    tight = {"rtol": 1e-12, "atol": 0.0} if dtype == torch.float64 else {}
    check_total(outcome, case, call="clip_grad_norm_([p], 5.0) with p.grad = [3, 4]", **tight)
    always = ("the gradients were left as they are, but a total equal to max_norm still scales: "
              "torch's 1e-6 makes the factor max_norm/(total + 1e-6) = 0.9999998; multiply by "
              "min(1, max_norm/(total + 1e-6)) always, not only when total > max_norm")
    check_grads(report, case, call="clip_grad_norm_([p], 5.0) with p.grad = [3, 4]",
                known={always: [case.grads[0].double()]}, **tight)


# ---------------------------------------------------------------- other gradients


@pytest.mark.points(1)
@pytest.mark.parametrize("case_id", list(CASES))
def test_total(learner, case_id):
    """returns the total norm from before clipping"""
    case = CASES[case_id]
    outcome, _ = shared_run(learner, case)
    check_total(outcome, case)


@pytest.mark.points(1)
@pytest.mark.parametrize("case_id", list(CASES))
def test_gradients_scaled(learner, case_id):
    """every gradient multiplied by min(1, max_norm/(total + 1e-6))"""
    case = CASES[case_id]
    outcome, report = shared_run(learner, case)
    check_grads(report, case)
    if case_id == "float64-below-max-norm":  # factor 1: gradients left alone must come with the total
        check_total(outcome, case)


# ---------------------------------------------------------------- rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_same_gradient_objects(learner):
    """scales each .grad in place: the same tensor objects"""
    case = CASES["float32-clipped"]
    _, report = shared_run(learner, case)
    for name, same in zip(case.names, report["same_grads"], strict=True):
        if not same:
            checks.fail(f"{name}.grad is a new tensor after clip_grad_norm_: scale it in place "
                        "(p.grad.mul_(factor)), so that the very tensor the caller's optimizer "
                        "will read holds the clipped values", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_values_untouched(learner):
    """leaves the parameters' values alone"""
    case = CASES["float64-clipped-one-without-grad"]
    _, report = shared_run(learner, case)
    for name, value, after in zip(case.names, case.values, report["params"], strict=True):
        if not isinstance(after, TensorSeen) or not torch.equal(after.value, value):
            checks.fail(f"clip_grad_norm_ changed the values of {name}: only the gradients are "
                        "scaled, never the parameters", expected=value, received=after,
                        contract=CONTRACT)
        if not after.requires_grad or not after.is_leaf:
            checks.fail(f"after clip_grad_norm_, {name} is no longer a leaf that requires grad: "
                        "leave the parameters alone", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_single_tensor(learner):
    """params may be a single tensor"""
    case = Case(SINGLE.values[:1], SINGLE.grads[:1], SINGLE.max_norm)
    outcome, report = run(learner, case, params="optim_one_param", index=0)
    rows = ("a single tensor was walked through as its rows, which have no .grad: wrap it in a "
            "list first (if isinstance(params, torch.Tensor): params = [params])")
    check_total(outcome, case, call="clip_grad_norm_(p, 2.0) with one 3x4 tensor p",
                params="one tensor", known={0.0: rows, **case.known_totals()})
    check_grads(report, case, call="clip_grad_norm_(p, 2.0) with one 3x4 tensor p",
                params="one tensor")


@pytest.mark.points(1)
@pytest.mark.rule
def test_generator(learner):
    """params may be a generator: model.parameters()"""
    case = GENERATOR
    outcome, report = run(learner, case, params="optim_parameters")
    check_total(outcome, case, params="model.parameters(), a generator")
    check_grads(report, case, params="model.parameters(), a generator")


@pytest.mark.points(1)
@pytest.mark.rule
def test_no_gradients(learner):
    """tensor(0.) when no parameter has a gradient, and nothing changes"""
    for case, params, shown in ((NO_GRADS, "optim_param_list", "parameters that all have .grad None"),
                                (Case([torch.zeros(1)], [None], 1.0), "optim_param_list",
                                 "one parameter without a gradient")):
        outcome, report = run(learner, case, params=params)
        value = outcome.value
        call = f"clip_grad_norm_ on {shown}"
        if not isinstance(value, TensorSeen) or value.value.dim() != 0 or not value.value.is_floating_point():
            checks.fail(f"{call} should return tensor(0.), a 0-d tensor; it returned "
                        f"{checks.fmt(value)}", contract=CONTRACT)
        if float(value.value) != 0.0 or value.has_graph or value.requires_grad:
            checks.fail(f"{call} should return tensor(0.) (no gradient: a total of 0)",
                        received=value, contract=CONTRACT)
        for name, after in zip(case.names, report["params"], strict=True):
            if after.grad is not None:
                checks.fail(f"{call} gave {name} a gradient: a parameter whose .grad is None "
                            "keeps None", received=after.grad, contract=CONTRACT)
    outcome = learner.call("clip_grad_norm_", [], 1.0)
    value = outcome.value
    if not isinstance(value, TensorSeen) or value.value.dim() != 0 or float(value.value) != 0.0:
        checks.fail("clip_grad_norm_([], 1.0) should return tensor(0.): there is no gradient; it "
                    f"returned {checks.fmt(value)}", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_written_without_clip_grad_norm(learner):
    """written without torch.nn.utils.clip_grad_norm_, get_total_norm or clip_grads_with_norm_"""
    outcome, _ = run(learner, CASES["float32-clipped"], watch=FORBIDDEN)
    checks.written_without(learner, FORBIDDEN, outcome, call="clip_grad_norm_(params, max_norm)",
                           contract=CONTRACT)
