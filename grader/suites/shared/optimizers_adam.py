"""Judge logic shared by the 12_optimizers suites of Adam and AdamW, and the tests they share.

The learner's optimizer runs learner-side inside a trusted training loop (``Model.train`` of
``grader/sandbox/scenarios/topic_12.py``), which returns the parameters after every update and
the first breach of each rule it watches. The judge's reference is torch.optim.Adam or AdamW
itself, run in float64 on the same gradients (given ones, or the loss ``loss_of`` at the
reference's own parameters); the classic mistakes are replayed by ``hand_trajectory``, a
written-out Adam with switches, only when a trajectory misses.

A suite subclasses ``AdamTests`` with its ``kind`` ("Adam" or "AdamW") and contract; the class's
name does not start with "Test", so pytest collects these tests only in the subclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import AsGenerator, Ref, Scenario, TensorSeen
from grader.sandbox.scenarios.topic_12 import loss_of
from grader.sandbox.seam import LearnerRaised

NAMES = ("W", "b", "s")
FORBIDDEN = ("torch.optim.Adam", "torch.optim.AdamW", "torch.optim.adam", "torch.optim.adamw",
             "torch.optim._functional")
STAYS_LEAF = ("update p in place under `with torch.no_grad():` (p.sub_(...), p.mul_(...)), so "
              "the update is not recorded by autograd and p stays the same leaf tensor that "
              "requires grad")
DEFAULTS = {"Adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
            "AdamW": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2}}

# ---------------------------------------------------------------- inputs


def initial(dtype: torch.dtype, seed: int) -> list[torch.Tensor]:
    """W (3, 4), b (3,), s (0-d): the parameters of ``loss_of``."""
    return [cases.randn(seed, 3, 4, dtype=dtype),
            cases.randn(seed + 1, 3, dtype=dtype, scale=0.5, shift=-0.3),
            torch.tensor(0.7, dtype=dtype)]


def given_grads(seed: int, updates: int, dtype: torch.dtype,
                scales: tuple[float, ...] = (1.0, 1e-3, 50.0),
                missing: frozenset = frozenset()) -> list[list[torch.Tensor | None]]:
    """Seeded gradients for W, b and s at each update, b's small enough for eps to matter and
    s's large; (update, index) pairs in ``missing`` get None (no part in that update)."""
    shapes = ((3, 4), (3,), ())
    return [[None if (k, i) in missing else
             cases.randn(seed + 10 * k + i, *shapes[i], dtype=dtype, scale=scales[i],
                         shift=0.2 * scales[i] * (-1) ** i)
             for i in range(3)] for k in range(updates)]


DATA = [cases.randn(3, 16, 4), cases.randn(4, 16, 3, scale=0.8)]  # X, Y of loss_of, float64

Source = Callable[[int, list[torch.Tensor]], list]


def given(grads: list[list[torch.Tensor | None]]) -> Source:
    """The gradients of each update, in float64."""
    return lambda k, _: [None if g is None else g.double() for g in grads[k % len(grads)]]


def from_loss(k: int, params: list[torch.Tensor]) -> list[torch.Tensor]:
    """∇loss_of at these parameters, in float64."""
    ps = [p.detach().double().requires_grad_(True) for p in params]
    return list(torch.autograd.grad(loss_of(ps, *DATA), ps))


# ---------------------------------------------------------------- the references, in float64


def torch_trajectory(kind: str, values: list[torch.Tensor], source: Source, updates: int,
                     hyper: dict) -> list[torch.Tensor]:
    """torch.optim.Adam or AdamW with backward(), step() and zero_grad() each update: the
    parameters after every update, stacked per parameter, in float64."""
    ps = [v.detach().double().clone().requires_grad_(True) for v in values]
    optimizer = (torch.optim.AdamW if kind == "AdamW" else torch.optim.Adam)(ps, **hyper)
    trail: list[list[torch.Tensor]] = [[] for _ in ps]
    for k in range(updates):
        for p, g in zip(ps, source(k, ps), strict=True):
            p.grad = g
        optimizer.step()
        for t, p in zip(trail, ps, strict=True):
            t.append(p.detach().clone())
        optimizer.zero_grad(set_to_none=True)
    return [torch.stack(t) for t in trail]


def hand_trajectory(kind: str, values: list[torch.Tensor], source: Source, updates: int,
                    hyper: dict, mistake: str = "") -> list[torch.Tensor]:
    """Adam or AdamW written out in float64, right (no ``mistake``) or with one classic mistake:
    no_bias, eps_inside, global_t, zeros (zero_grad zeroes), keep (zero_grad does nothing),
    whole_grad (m ← β1·m + g), sign; AdamW's l2, after, no_lr, all (decays params without a
    gradient), no_decay."""
    full = {**DEFAULTS[kind], **hyper}
    lr, (b1, b2), eps, wd = full["lr"], full["betas"], full["eps"], full["weight_decay"]
    decoupled = kind == "AdamW" and mistake not in ("l2", "no_decay")
    ps = [v.detach().double().clone() for v in values]
    m = [torch.zeros_like(p) for p in ps]
    v = [torch.zeros_like(p) for p in ps]
    t = [0] * len(ps)
    held: list[torch.Tensor | None] = [None] * len(ps)
    trail: list[list[torch.Tensor]] = [[] for _ in ps]
    for k in range(updates):
        new = source(k, ps)
        grads = [h if g is None else (g if h is None else h + g) for g, h in zip(new, held, strict=True)]
        for i, (p, g) in enumerate(zip(ps, grads, strict=True)):
            if g is None:
                if mistake == "all" and kind == "AdamW":
                    ps[i] = p * (1 - lr * wd)
                continue
            if mistake == "l2" or (kind == "Adam" and wd):
                g = g + wd * p
            t[i] += 1
            step = k + 1 if mistake == "global_t" else t[i]
            keep = 1.0 if mistake == "whole_grad" else None
            m[i] = b1 * m[i] + (keep or 1 - b1) * g
            v[i] = b2 * v[i] + (keep or 1 - b2) * g * g
            m_hat, v_hat = (m[i], v[i]) if mistake == "no_bias" else (m[i] / (1 - b1**step),
                                                                      v[i] / (1 - b2**step))
            denom = (v_hat + eps).sqrt() if mistake == "eps_inside" else v_hat.sqrt() + eps
            u = (-1.0 if mistake == "sign" else 1.0) * m_hat / denom
            if mistake == "after" and decoupled:
                ps[i] = (p - lr * u) * (1 - lr * wd)
            elif decoupled:
                ps[i] = p * (1 - (wd if mistake == "no_lr" else lr * wd)) - lr * u
            else:
                ps[i] = p - lr * u
        for tr, p in zip(trail, ps, strict=True):
            tr.append(p.clone())
        if mistake == "zeros":
            held = [None if g is None else torch.zeros_like(g) for g in grads]
        elif mistake == "keep":
            held = grads
        else:
            held = [None] * len(ps)
    return [torch.stack(tr) for tr in trail]


def still(values: list[torch.Tensor], updates: int,
          moved: list[torch.Tensor] | None = None) -> list[torch.Tensor]:
    """The trajectory of parameters that never move, or (``moved``: a trajectory) that move at
    the first update only."""
    return [torch.stack([value.double() if moved is None else moved[i][0]] * updates)
            for i, value in enumerate(values)]


def mistakes(kind: str) -> dict[str, str]:
    """hand_trajectory's mistakes → what the learner reads."""
    common = {
        "no_bias": "no bias correction: m and v start at zero, so divide them by (1 − β1^t) and "
                   "(1 − β2^t) before the update (m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t))",
        "eps_inside": "ε is inside the square root: the contract (and torch) add it outside, "
                      "m̂/(√v̂ + ε)",
        "whole_grad": "m and v add the whole gradient: they are running means, "
                      "m ← β1·m + (1 − β1)·g and v ← β2·v + (1 − β2)·g²",
        "sign": "the sign is flipped: step against m̂, p ← p − lr·m̂/(√v̂ + ε)",
        "global_t": "the step count t is shared by all parameters (it counts step() calls); each "
                    "parameter keeps its own t, which a step that skips it (no .grad) leaves alone",
        "zeros": "this is the trajectory of a zero_grad() that sets gradients to zeros: Adam then "
                 "moves parameters that took no part in an update (m is not zero) and counts a "
                 "step for them; set every .grad to None, and skip parameters whose .grad is None",
        "keep": "the gradients pile up: this is the trajectory where zero_grad() leaves .grad as it "
                "is, so each backward() adds onto the last gradient; set every p.grad = None",
    }
    if kind == "Adam":
        return common
    return {
        **common,
        "l2": "the weight decay went into the gradient (L2, g + λ·p, as Adam(weight_decay=λ) does): "
              "AdamW decouples it, p ← p·(1 − lr·λ), and m and v see only the loss's gradient",
        "after": "the decay was applied after the Adam update; apply p ← p·(1 − lr·λ) to p as it "
                 "was before this step, then subtract lr·m̂/(√v̂ + ε)",
        "no_lr": "the decay is missing its lr: p ← p·(1 − lr·λ), not p·(1 − λ)",
        "all": "parameters without a gradient were decayed too; a parameter whose .grad is None "
               "is skipped entirely: no decay, no update",
        "no_decay": "weight_decay is ignored: this is plain Adam; shrink each parameter by "
                    "p ← p·(1 − lr·λ) before its update",
    }


FROZEN = ("the parameters never moved: update the very tensors you were given, in place "
          "(p.sub_(...) under torch.no_grad()); `p = p - ...` only rebinds a name, and if params "
          "was a generator, it may have been used up before step() (keep list(params))")
FIRST_ONLY = ("the parameters moved at the first update only: params may be a generator, which "
              "can be walked through only once; keep a list of it (self.params = list(params))")


# ---------------------------------------------------------------- running the learner's optimizer


def model_spec(values: list[torch.Tensor], *, grads: list | None = None, data: bool = False,
               as_parameters: bool = False) -> Scenario:
    return Scenario("optim_model", {"values": values, "grads": grads, "data": DATA if data else None,
                                    "as_parameters": as_parameters})


def describe(hyper: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in hyper.items()) or "defaults"


def make_optimizer(learner, kind: str, params: Any, hyper: dict, contract: str,
                   watch: tuple[str, ...] = ()) -> tuple[Ref, list[str]]:
    """The learner's optimizer, built learner-side: a handle to it, and the watched library
    functions its constructor called."""
    outcome = learner.call(kind, params, watch=watch, **hyper)
    raised = outcome.raised
    if raised is not None and not raised.is_a("NotImplementedError"):
        hint = (": params may be a generator (model.parameters()), which has no len() and can be "
                "walked through only once; make a list of it first" if "generator" in raised.message
                else "")
        checks.fail(f"{kind}(params, {describe(hyper)}) raised {raised.describe()}{hint}",
                    contract=contract)
    made = outcome.value
    if not isinstance(made, Ref):
        checks.fail(f"{kind}(params, ...) should make an optimizer object; it gave {checks.fmt(made)}",
                    contract=contract)
    return made, list(outcome.watched)


def train(learner, kind: str, spec: Scenario, hyper: dict, updates: int, contract: str, *,
          params: str = "optim_param_list", watch: tuple[str, ...] = ()) -> tuple[dict, list[str]]:
    """Build the model and the learner's optimizer over its parameters (a list, or with
    params="optim_parameters" a generator), and run the training loop learner-side. Returns
    the loop's record and the watched library functions called (constructor and loop)."""
    model = learner.make(spec)
    optimizer, watched = make_optimizer(learner, kind, Scenario(params, {"model": model}), hyper,
                                        contract, watch)
    outcome = learner.call_ref(model, optimizer, updates, attr="train", watch=watch)
    raised = outcome.raised
    if raised is not None and raised.is_a("NotImplementedError"):
        doing = learner.call_ref(model, attr="where").value
        raise LearnerRaised(f"{kind}.zero_grad" if "zero_grad" in doing else f"{kind}.step", raised)
    if raised is not None:
        doing = learner.call_ref(model, attr="where").value
        hint = ""
        if "in-place" in raised.message or "leaf Variable" in raised.message:
            hint = f": autograd refuses to record an in-place change of a leaf; {STAYS_LEAF}"
        elif "NoneType" in raised.message:
            hint = ": a parameter whose .grad is None must be skipped"
        checks.fail(f"{doing or 'the training loop'} raised {raised.describe()}{hint}",
                    contract=contract)
    record = outcome.value
    if not isinstance(record, dict) or not isinstance(record.get("values"), list):
        raise AssertionError("suite bug: the training loop gave no record")
    return record, watched + [name for name in outcome.watched if name not in watched]


def check_leaf(record: dict, contract: str, dtype_only: bool = False) -> None:
    """The loop's record says each parameter stayed a leaf that requires grad, in its dtype and
    shape (with ``dtype_only``, only the last two: without them no values can be compared)."""
    breach = record["leaf"]
    if breach is None:
        return
    what, at = breach["what"], breach["update"]
    name = NAMES[breach["param"]] if breach["param"] < len(NAMES) else "a parameter"
    if what.startswith("dtype"):
        checks.fail(f"after update {at}, {name} became {what.removeprefix('dtype ')}: keep each "
                    "parameter (and its m and v) in its own dtype; update it in place rather than "
                    "replacing p.data with a result of another dtype", contract=contract)
    if what.startswith("shape"):
        checks.fail(f"after update {at}, {name} has {what}: the update must keep its shape "
                    "(is something broadcast?)", contract=contract)
    if dtype_only:
        return
    if what == "graph":
        checks.fail(f"after update {at}, {name} is no longer a leaf: it carries an autograd graph "
                    f"from the update; {STAYS_LEAF}", contract=contract)
    checks.fail(f"after update {at}, {name} no longer requires grad, so the next backward() "
                f"cannot reach it; {STAYS_LEAF}", contract=contract)


def all_close(got: torch.Tensor, want: torch.Tensor, dtype: torch.dtype, rtol: float | None,
              atol: float | None) -> bool:
    """checks.close(got[k], want[k], dtype, rtol, atol) for every update k, in one pass: the same
    test (torch.isclose's |got − want| ≤ atol·scale + rtol·|want|, scale = max(max|want[k]|, 1)),
    without a call per update. Only a miss pays for the search of the first one."""
    if got.shape != want.shape or got.dim() == 0:
        return False  # let the search per update say what differs
    default_rtol, default_atol = checks.tolerance(dtype)
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    g = got.detach().to(torch.float64).reshape(got.shape[0], -1)
    w = want.detach().to(torch.float64).reshape(want.shape[0], -1)
    if w.shape[1] == 0:
        return True
    scale = w.abs().amax(dim=1)
    scale = torch.where(torch.isfinite(scale), scale.clamp(min=1.0), 1.0)
    diff = (g - w).abs()
    near = torch.isfinite(diff) & (diff <= (atol * scale)[:, None] + (rtol * w).abs())
    return bool(((g == w) | near).all())


def check_trajectory(record: dict, expected: list[torch.Tensor], dtype: torch.dtype, *,
                     call: str, inputs: dict | str, contract: str,
                     known: Callable[..., dict[str, list[torch.Tensor]]],
                     rtol: float | None = None, atol: float | None = None,
                     names: tuple[str, ...] = NAMES) -> None:
    """The values after every update match ``expected`` (float64); on a miss, name the first
    update and parameter that differ, and the classic mistake whose trajectory it is."""
    check_leaf(record, contract, dtype_only=True)
    got = [seen.value for seen in record["values"]]
    if len(got) != len(expected) or not all(isinstance(s, TensorSeen) for s in record["values"]):
        raise AssertionError("suite bug: the record holds the wrong number of parameters")
    updates = expected[0].shape[0]
    if all(all_close(g, e.to(dtype), dtype, rtol, atol) for g, e in zip(got, expected, strict=True)):
        return
    first = None
    for k in range(updates):
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            if not checks.close(g[k], e[k].to(dtype), dtype, rtol, atol):
                first = (k, i)
                break
        if first:
            break
    if first is None:
        return
    k, i = first
    loose_rtol, loose_atol = checks.tolerance(dtype)
    rtol_5, atol_5 = 5 * loose_rtol, 5 * loose_atol

    def could_match(first: list[torch.Tensor]) -> bool:
        """Whether a mistake whose first update is ``first`` may match over the whole run: a
        match within checks.close needs the first update within the same tolerances, its absolute
        part scaled by the mistake's largest value, at most about the learner's (hence 2×)."""
        for g, w in zip(got, first, strict=True):
            g64 = g.detach().double()
            if not torch.isfinite(g64).all():
                return True  # no shortcut: the whole run decides
            scale = 2 * max(float(g64.abs().max()) if g64.numel() else 1.0, 1.0)
            w1 = w.to(dtype).double()
            if g64[:1].shape != w1.shape or not torch.allclose(g64[:1], w1, rtol=rtol_5, atol=atol_5 * scale):
                return False
        return True

    why = next((label for label, wrong in known(could_match).items()
                if all(checks.close(g, w.to(dtype), dtype, rtol=rtol_5, atol=atol_5)
                       for g, w in zip(got, wrong, strict=True))), None)
    if why is None:
        if not all(torch.isfinite(g).all() for g in got):
            why = ("nan or inf appeared: is t incremented before the bias correction? "
                   "(with t = 0, 1 − β^t is 0)")
        else:
            why = checks.explain_miss(got[i][k], expected[i][k], dtype=dtype)
    name = names[i] if i < len(names) else f"parameter {i}"
    checks.fail(f"{call}: {why}", inputs=inputs, expected=expected[i][k].to(dtype),
                received=got[i][k],
                extra=f"first difference: {name} after update {k + 1} of {updates}",
                contract=contract)


def known_for(kind: str, values, source: Source, updates: int, hyper: dict,
              only: tuple[str, ...] | None = None) -> Callable[[], dict[str, list[torch.Tensor]]]:
    """The classic mistakes' trajectories (computed only when asked: on a miss). Given
    ``could_match`` (a mistake's first update → whether its whole run may still match), a mistake
    whose first update rules it out is left out before its whole run is worked out."""

    def build(could_match: Callable[[list[torch.Tensor]], bool] | None = None
              ) -> dict[str, list[torch.Tensor]]:
        labels = mistakes(kind)
        out = {}
        for m in labels:
            if only is not None and m not in only:
                continue
            if could_match is not None and not could_match(
                    hand_trajectory(kind, values, source, 1, hyper, m)):
                continue
            out[labels[m]] = hand_trajectory(kind, values, source, updates, hyper, m)
        first = hand_trajectory(kind, values, source, 1, hyper)  # FIRST_ONLY reads the first update alone
        out[FROZEN] = still(values, updates)
        out[FIRST_ONLY] = still(values, updates, moved=first)
        return out

    return build


# ---------------------------------------------------------------- the cases


class Case:
    """One trajectory: its inputs, the learner's hyperparameters, and torch's answer."""

    def __init__(self, kind: str, dtype: torch.dtype, hyper: dict, updates: int, *,
                 seed: int, data: bool = False, missing: frozenset = frozenset(),
                 scales: tuple[float, ...] = (1.0, 1e-3, 50.0)) -> None:
        self.kind, self.dtype, self.hyper, self.updates = kind, dtype, hyper, updates
        self.values = initial(dtype, seed)
        self.grads = None if data else given_grads(seed + 100, updates, dtype, scales, missing)
        self.source = from_loss if data else given(self.grads)
        self.data = data
        self.expected = torch_trajectory(kind, self.values, self.source, updates, hyper)

    def spec(self, as_parameters: bool = False) -> Scenario:
        return model_spec(self.values, grads=self.grads, data=self.data, as_parameters=as_parameters)

    def inputs(self) -> dict:
        shown: dict[str, Any] = {"W": self.values[0], "b": self.values[1], "s": self.values[2]}
        shown.update(self.hyper)
        return shown

    def known(self, only: tuple[str, ...] | None = None):
        return known_for(self.kind, self.values, self.source, self.updates, self.hyper, only)


# ---------------------------------------------------------------- the tests

class AdamTests:
    """The tests Adam and AdamW share; a suite sets the class attributes."""

    kind: str
    contract: str
    given_cases: dict[str, Case]
    loss_cases: dict[str, Case]
    skip_cases: dict[str, Case]
    generator_case: Case
    short_case: Case
    zero_decay: dict = {}  # AdamW's weight_decay=0.0, for the test that the bounds are allowed

    def check_seed(self, learner) -> None:
        """The contract's seed (each suite has its own)."""
        raise NotImplementedError

    def loop_call(self, case: Case, params: str = "a list") -> str:
        return (f"{case.updates} updates of {self.kind}(params as {params}, {describe(case.hyper)}) "
                "with backward(), step(), zero_grad()")

    def run(self, learner, case: Case, **kwargs) -> tuple[dict, list]:
        return train(learner, self.kind, case.spec(kwargs.pop("as_parameters", False)), case.hyper,
                     case.updates, self.contract, **kwargs)

    def shared_run(self, learner, case: Case) -> dict:
        """The record of ``case``'s plain run (params as a list, nothing watched), made once per
        submission (a judge grades one): a result test and a rule test read the same run, its
        trajectory and the rules it broke, and each judges it itself. A run that fails is not
        kept, so the next test runs it again and fails its own way."""
        return learner.shared(("plain run", case), lambda: self.run(learner, case)[0])

    # ------------------------------------------------------------ trajectories

    def check_given(self, learner, case_id: str) -> None:
        case = self.given_cases[case_id]
        record = self.shared_run(learner, case)
        check_trajectory(record, case.expected, case.dtype,
                         call=self.loop_call(case) + " on given gradients",
                         inputs=case.inputs(), contract=self.contract, known=case.known())

    def check_loss(self, learner, case_id: str) -> None:
        case = self.loss_cases[case_id]
        record, _ = self.run(learner, case)
        check_trajectory(record, case.expected, case.dtype,
                         call=self.loop_call(case) + " on a small network's loss",
                         inputs=case.inputs(), contract=self.contract, known=case.known())

    def check_skipped(self, learner, case_id: str) -> None:
        case = self.skip_cases[case_id]
        record = self.shared_run(learner, case)
        check_trajectory(record, case.expected, case.dtype,
                         call=self.loop_call(case) + " where b and s sit out some updates "
                         "(.grad None)", inputs=case.inputs(), contract=self.contract,
                         known=case.known())

    # ------------------------------------------------------------ zero_grad and the rules

    def check_zero_grad(self, learner) -> None:
        case = self.short_case
        record, _ = self.run(learner, case)
        breach = record["zero_grad"]
        if breach is None:
            return
        name = NAMES[breach["param"]]
        if breach["state"] == "zeros":
            checks.fail(f"zero_grad() set {name}.grad to zeros; here it must set every .grad to "
                        f"None: {self.kind} still moves a parameter whose gradient is zero (its m "
                        "is not zero) but skips one whose .grad is None", contract=self.contract)
        checks.fail(f"zero_grad() left {name}.grad holding a gradient: set every p.grad = None, "
                    "or the next backward() adds onto it", contract=self.contract)

    def check_step_leaves_grads(self, learner) -> None:
        record = self.shared_run(learner, self.skip_cases["float64"])
        breach = record["step_grads"]
        if breach is None:
            return
        name, at = NAMES[breach["param"]], breach["update"]
        texts = {
            "cleared": f"step() cleared {name}.grad at update {at}: step() leaves the gradients "
                       "as they are; clearing them is zero_grad()'s job (the loop calls it)",
            "replaced": f"step() replaced {name}.grad with a new tensor at update {at}: read "
                        "p.grad, never assign to it in step()",
            "changed": f"step() changed the values of {name}.grad at update {at} (an in-place "
                       "operation on p.grad, such as g.mul_() or g.add_()?): read the gradient, "
                       "compute with new tensors",
            "created": f"step() gave {name} a gradient at update {at}, where it had none: a "
                       "parameter whose .grad is None is skipped and left as it is",
        }
        checks.fail(texts[breach["what"]], contract=self.contract)

    def check_leaves(self, learner) -> None:
        record = self.shared_run(learner, self.given_cases["float32"])
        check_leaf(record, self.contract)

    def check_generator(self, learner) -> None:
        case = self.generator_case
        record, _ = self.run(learner, case, params="optim_parameters", as_parameters=True)
        check_trajectory(record, case.expected, case.dtype,
                         call=self.loop_call(case, "model.parameters(), a generator of "
                                             "nn.Parameters") + " on a small network's loss",
                         inputs=case.inputs(), contract=self.contract,
                         known=case.known(only=()))

    def check_raises(self, learner, params: Any, hyper: dict, shown: str, why: str) -> None:
        outcome = learner.call(self.kind, params, **hyper)
        checks.raises(outcome, "ValueError", call=f"{self.kind}({shown})", inputs=shown,
                      contract=self.contract, why=why)

    def check_accepts(self, learner, hyper: dict) -> None:
        leaf = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        outcome = learner.call(self.kind, [leaf], **hyper)
        shown = f"{self.kind}([p], {describe(hyper)})"
        if outcome.raised is not None and outcome.raised.is_a("ValueError"):
            checks.fail(f"{shown} raised {outcome.raised.describe()}: these values are allowed "
                        "(lr ≥ 0, eps ≥ 0, each β in [0, 1), weight_decay ≥ 0: the bounds "
                        "themselves are fine, except β = 1)", contract=self.contract)
        outcome.value  # noqa: B018 - surfaces any other exception

    def check_written_without(self, learner) -> None:
        _, watched = self.run(learner, self.short_case, watch=FORBIDDEN)
        outcome = learner.call(self.kind, [torch.zeros(2, requires_grad=True)], watch=FORBIDDEN)
        outcome.value  # noqa: B018 - surfaces an exception first
        outcome.watched = watched + [name for name in outcome.watched if name not in watched]
        checks.written_without(learner, FORBIDDEN, outcome, call=f"{self.kind} (its constructor, "
                               "step() or zero_grad())", contract=self.contract)

    # ------------------------------------------------------------ the tests themselves

    @pytest.mark.points(1)
    def test_seed(self, learner):
        """the contract's seed"""
        self.check_seed(learner)

    @pytest.mark.points(1)
    @pytest.mark.parametrize("case_id", ["float64", "float32", "float64-defaults", "float32-beta2"])
    def test_given_gradients(self, learner, case_id):
        """trajectory on given gradients matches torch's"""
        self.check_given(learner, case_id)

    @pytest.mark.points(1)
    @pytest.mark.parametrize("case_id", ["float32", "float64"])
    def test_loss_trajectory(self, learner, case_id):
        """50 updates on a small network's loss match torch's"""
        self.check_loss(learner, case_id)

    @pytest.mark.points(1)
    @pytest.mark.parametrize("case_id", ["float64", "float32"])
    def test_skipped_parameters(self, learner, case_id):
        """a parameter with no gradient is skipped and keeps its own step count"""
        self.check_skipped(learner, case_id)

    @pytest.mark.points(1)
    def test_zero_grad_sets_none(self, learner):
        """zero_grad() sets every .grad to None"""
        self.check_zero_grad(learner)

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_step_leaves_gradients(self, learner):
        """step() leaves the gradients as they are"""
        self.check_step_leaves_grads(learner)

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_params_stay_leaves(self, learner):
        """each parameter stays a leaf that requires grad, in its dtype"""
        self.check_leaves(learner)

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_generator_of_parameters(self, learner):
        """params may be a generator: model.parameters()"""
        self.check_generator(learner)

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_empty_params_raise(self, learner):
        """ValueError for empty params (a list or a generator)"""
        self.check_raises(learner, [], {}, "[]", "there is nothing to optimize")
        self.check_raises(learner, AsGenerator(()), {}, "an empty generator",
                          "there is nothing to optimize")

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_negative_lr_raises(self, learner):
        """ValueError for lr < 0"""
        leaf = torch.zeros(2, requires_grad=True)
        self.check_raises(learner, [leaf], {"lr": -1e-3}, "[p], lr=-0.001", "lr must be ≥ 0")

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_negative_eps_raises(self, learner):
        """ValueError for eps < 0"""
        leaf = torch.zeros(2, requires_grad=True)
        self.check_raises(learner, [leaf], {"eps": -1e-8}, "[p], eps=-1e-08", "eps must be ≥ 0")

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_betas_outside_raise(self, learner):
        """ValueError for a β outside [0, 1)"""
        leaf = torch.zeros(2, requires_grad=True)
        for betas in ((1.0, 0.999), (0.9, 1.0), (-0.1, 0.999), (0.9, 1.5)):
            self.check_raises(learner, [leaf], {"betas": betas}, f"[p], betas={betas}",
                              "each β must be in [0, 1)")

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_bounds_accepted(self, learner):
        """lr = 0, eps = 0 and β = 0 are allowed"""
        self.check_accepts(learner, {"lr": 0.0, "betas": (0.0, 0.0), "eps": 0.0, **self.zero_decay})

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_written_without_torch_optim_adam(self, learner):
        """written without torch.optim.Adam or AdamW"""
        self.check_written_without(learner)
