"""Judge logic shared by the 05_loops suites.

fit_numpy, fit_autograd and fit_optim all fit ŷ = w·x from w = 0.0 by gradient descent on the MSE
and return (w, losses): ``run`` is their float64 reference (its keywords replay the classic
mistakes), and a ``Fit`` holds one kata's texts and classic mistakes and judges what its function
returned. fit_module shares the readers (``result_of``, ``read_numbers``) and
``check_python_floats``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import ArraySeen, NumpyScalarSeen, TensorSeen

# ---------------------------------------------------------------- the judge's reference


def run(X, y, lr: float, epochs: int, *, loss_scale: float = 1.0, grad_scale: float | None = None,
        sign: float = 1.0, after: bool = False, accumulate: bool = False, broadcast: bool = False,
        frozen: bool = False, restart: bool = False) -> tuple[float, list[float]]:
    """The specified loop in float64 (and, with the keywords, classic ways of getting it wrong).

    X and y are tensors or numpy arrays. ``loss_scale`` scales the loss and, unless ``grad_scale``
    is given, its gradient too; ``sign`` flips the update; ``after`` records each loss after the
    update; ``accumulate`` never clears the gradient; ``broadcast`` compares ŷ of shape (N, 1)
    with y of shape (N,); ``frozen`` never moves w; ``restart`` starts w from 0.0 every epoch.
    """
    if isinstance(X, torch.Tensor):
        x, t = X.detach().double().numpy(), y.detach().double().numpy()
    else:
        x, t = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if broadcast:  # ŷ of shape (N, 1) against y of shape (N,): an N×N table of differences
        x, t = x[:, None], t[None, :]
    grad_scale = loss_scale if grad_scale is None else grad_scale

    def loss_and_grad(w):
        r = w * x - t
        return loss_scale * float(np.mean(r**2)), grad_scale * float(np.mean(2 * x * r))

    w, step, losses = 0.0, 0.0, []
    for _ in range(epochs):
        if restart:  # w (and its optimizer) made afresh inside the loop
            w = 0.0
        loss, grad = loss_and_grad(w)
        step = step + grad if accumulate else grad
        if not frozen:  # zero_grad() between backward() and step(): nothing to step with
            w = w - sign * lr * step
        losses.append(loss_and_grad(w)[0] if after else loss)
    return w, losses


# The contract's seed as tensors (fit_autograd, fit_optim): x = [1, 2, 3, 4], y = 2x
SEED = (torch.tensor([1.0, 2.0, 3.0, 4.0]), 2 * torch.tensor([1.0, 2.0, 3.0, 4.0]))


def broadcast_mistake(n: int) -> dict[str, dict]:
    """The classic mistake of a ŷ of shape (n, 1) for a y of shape (n,): label → run() keywords."""
    return {f"ŷ has shape ({n}, 1) and broadcasts against y of shape ({n},), so the loss "
            "compares every prediction with every target: keep ŷ the shape of y": {"broadcast": True}}


def other_data(case: str, seed: int, *, numpy: bool = False):
    """(X, y, lr) beyond the seed: "float32-random", "float64-offset" or one large negative sample;
    numpy arrays with ``numpy``. The lr suits the data: 0.05 / mean(x²), to 3 digits."""
    if case == "float32-random":
        x = cases.randn(seed, 6, scale=2.0)
        t = 1.5 * x + cases.randn(seed + 1, 6, scale=0.3)
        dtype = torch.float32
    elif case == "float64-offset":
        x = cases.uniform(seed + 2, 9, low=-3.0, high=3.0)
        t = -0.7 * x + 0.5 + cases.randn(seed + 3, 9, scale=0.2)
        dtype = torch.float64
    else:  # one sample, large and negative
        x = torch.tensor([-300.0], dtype=torch.float64)
        t = torch.tensor([450.0], dtype=torch.float64)
        dtype = torch.float32
    if numpy:
        X, y = x.to(dtype).numpy(), t.to(dtype).numpy()
        return X, y, float(f"{0.05 / float(np.mean(X.astype(np.float64) ** 2)):.3g}")
    X, y = x.to(dtype), t.to(dtype)
    return X, y, float(f"{0.05 / float((X.double() ** 2).mean()):.3g}")


def inputs_of(X, y, lr: float, epochs: int) -> dict:
    return {"X": X, "y": y, "lr": lr, "epochs": epochs}


# ---------------------------------------------------------------- for every suite



# ---------------------------------------------------------------- reading what came back


def result_of(outcome, hints: Mapping[str, str], contract: str) -> Any:
    """outcome.value; an exception whose message (or type) names a known slip fails with its hint."""
    raised = outcome.raised
    if raised is not None and not raised.is_a("NotImplementedError"):
        for key, hint in hints.items():
            if key in raised.message or key in raised.type:
                checks.fail(f"{outcome.function} raised {raised.describe()}: {hint}", contract=contract)
    return outcome.value


def read_numbers(value) -> list[float] | None:
    """Numbers read leniently (their exact type has its own test): a 1-D tensor or array, or a list
    or tuple of numbers; None otherwise."""
    if isinstance(value, TensorSeen | ArraySeen) and value.value.ndim == 1:
        return [float(v) for v in value.value.tolist()]
    if isinstance(value, list | tuple):
        read = [checks.read_number(v) for v in value]
        return None if any(v is None for v in read) else read
    return None


def check_python_floats(losses, epochs: int, *, call: str, inputs: dict, contract: str,
                        not_a_list: str, tensor_fix: str) -> None:
    """losses is a list of exactly `epochs` Python floats."""
    if type(losses) is not list:
        checks.fail(not_a_list, inputs=inputs, received=losses, contract=contract)
    if len(losses) != epochs:
        checks.fail(f"{call} returned {len(losses)} losses for {epochs} epochs: one per epoch",
                    inputs=inputs, contract=contract)
    for i, loss in enumerate(losses):
        if type(loss) is not float:
            fix = "wrap it in float()" if isinstance(loss, NumpyScalarSeen | ArraySeen) else (
                tensor_fix if isinstance(loss, TensorSeen) else "append a Python float")
            checks.fail(f"{call}: losses[{i}] is {checks.fmt(loss)} of type "
                        f"{getattr(loss, 'type_name', type(loss).__name__)}, not a Python float: "
                        f"{fix}", inputs=inputs, contract=contract)


# ---------------------------------------------------------------- one (w, losses) kata


@dataclass(frozen=True)
class Fit:
    """A kata fn(X, y, lr, epochs) -> (w, losses), and what its suite tells the learner."""

    fn: str
    contract: str
    seed: tuple  # (X, y) of the contract's seed: x = [1, 2, 3, 4], y = 2x
    mistakes: Callable[[int], dict[str, dict]]  # N → {label: run() keywords}, tried in this order
    diverging: str  # what to check when the loss grows: "check " + this
    raise_hints: Mapping[str, str] = field(default_factory=dict)

    @property
    def call(self) -> str:
        return f"{self.fn}(X, y, lr, epochs)"

    def known(self, X, y, lr: float, epochs: int) -> dict:
        """The trajectories of the classic mistakes: label → (w, losses)."""
        return {label: run(X, y, lr, epochs, **keywords)
                for label, keywords in self.mistakes(len(X)).items()}

    def known_values(self, X, y, lr: float, epochs: int, pick, expected: float) -> dict:
        """The wrong answers of the classic mistakes for one number, where they differ from the truth."""
        found = {label: pick(wrong) for label, wrong in self.known(X, y, lr, epochs).items()}
        return {label: v for label, v in found.items() if not checks.close(v, expected, torch.float32)}

    def value_of(self, outcome) -> Any:
        return result_of(outcome, self.raise_hints, self.contract)

    def read_result(self, outcome, inputs: dict, epochs: int) -> tuple[float, list[float]]:
        """(w, losses) as numbers, read leniently, with one loss per epoch."""
        result = self.value_of(outcome)
        if not isinstance(result, tuple | list) or len(result) != 2:
            checks.fail(f"{self.call} should return a pair (w, losses)", inputs=inputs, received=result,
                        contract=self.contract)
        w, losses = checks.read_number(result[0]), read_numbers(result[1])
        if w is None:
            checks.fail(f"{self.call}: could not read w (the first item) as a number", inputs=inputs,
                        received=result[0], contract=self.contract)
        if losses is None:
            checks.fail(f"{self.call}: could not read losses (the second item) as a list of numbers",
                        inputs=inputs, received=result[1], contract=self.contract)
        if len(losses) != epochs:
            checks.fail(f"{self.call} returned {len(losses)} losses for {epochs} epochs: record exactly "
                        "one loss per epoch", inputs=inputs, contract=self.contract)
        return w, losses

    def check_run(self, outcome, X, y, lr: float, epochs: int, dtype: torch.dtype, *,
                  ref: tuple | None = None) -> None:
        """Compare the whole trajectory (every loss and the final w) with the float64 reference;
        ``ref`` is run(X, y, lr, epochs) when it was made beforehand."""
        inputs = inputs_of(X, y, lr, epochs)
        w, losses = self.read_result(outcome, inputs, epochs)
        ref = run(X, y, lr, epochs) if ref is None else ref
        if _same_run(w, losses, ref, dtype):
            return
        shown = {"expected": [ref[0], ref[1]], "received": [w, losses], "inputs": inputs,
                 "contract": self.contract, "extra": "shown as [w, losses]"}
        for label, wrong in self.known(X, y, lr, epochs).items():
            if _same_run(w, losses, wrong, dtype):
                checks.fail(f"{self.call}: {label}", **shown)
        if not all(math.isfinite(v) for v in [w, *losses]) or (
                len(losses) > 1 and losses[-1] > losses[0] > ref[1][-1]):
            checks.fail(f"{self.call}: the loss grows instead of shrinking, so training diverges: "
                        f"check {self.diverging}", **shown)
        if not checks.close(losses, ref[1], dtype):
            why = checks.explain_miss(torch.tensor(losses), torch.tensor(ref[1]), n=len(X),
                                      dtype=dtype)
            checks.fail(f"{self.call}: the losses are wrong: {why}", **shown)
        why = checks.explain_miss(torch.tensor(w), torch.tensor(ref[0]), n=len(X), dtype=dtype)
        checks.fail(f"{self.call}: the losses are right but the final w is not: {why}", **shown)

    # ------------------------------------------------------------ the seed's numbers

    def seed_call(self, learner, epochs: int):
        """fn on the seed at lr 0.01: one call per submission for the tests that read it."""
        X, y = self.seed
        return learner.shared(("seed", epochs), lambda: learner.call(self.fn, X, y, 0.01, epochs))

    def check_seed_first_loss(self, learner, known: Callable[[], dict]) -> None:
        """One epoch at lr 0.01 from w = 0: losses[0] = 30; known() names wrong values."""
        X, y = self.seed
        inputs = inputs_of(X, y, 0.01, 1)
        _, losses = self.read_result(self.seed_call(learner, 1), inputs, 1)
        if not checks.close(losses[0], 30.0, torch.float32):
            why = checks.explain_miss(torch.tensor(losses[0]), torch.tensor(30.0), n=4,
                                      known=known(), dtype=torch.float32)
            checks.fail(f"{self.call}, losses[0]: {why}", inputs=inputs, expected=30.0,
                        received=losses[0], contract=self.contract,
                        extra="with w = 0: mean((0·x − 2x)²) = mean(4x²) = 30")

    def check_seed_one_epoch(self, learner, known: Callable[[], dict | None], extra: str) -> None:
        """One epoch at lr 0.01 takes w from 0 to 0.3; known() names wrong values."""
        X, y = self.seed
        inputs = inputs_of(X, y, 0.01, 1)
        w, _ = self.read_result(self.seed_call(learner, 1), inputs, 1)
        if not checks.close(w, 0.3, torch.float32):
            why = checks.explain_miss(torch.tensor(w), torch.tensor(0.3), n=4, known=known(),
                                      dtype=torch.float32)
            checks.fail(f"{self.call}, w after one epoch: {why}", inputs=inputs, expected=0.3,
                        received=w, contract=self.contract, extra=extra)

    def check_seed_converges(self, learner, epochs: int = 100) -> None:
        """w → 2 and the loss → 0 at lr 0.01. Each epoch takes 15% off w − 2, so after 100 the
        specified loop is 2e-7 away; a half-size gradient, taking 7.5%, is still 8e-4 away."""
        X, y = self.seed
        outcome = learner.call(self.fn, X, y, 0.01, epochs)
        w, losses = self.read_result(outcome, inputs_of(X, y, 0.01, epochs), epochs)
        if abs(w - 2.0) > 1e-4 or not losses[-1] < 1e-6:
            self.check_run(outcome, X, y, 0.01, epochs, torch.float32)
            checks.fail(f"{self.call} should bring w to 2 after {epochs} epochs; it ended at {w:.6g} "
                        f"with a last loss of {losses[-1]:.3g}", contract=self.contract)

    def check_seed_trajectory(self, learner, epochs: int = 30, ref: tuple | None = None) -> None:
        X, y = self.seed
        self.check_run(learner.call(self.fn, X, y, 0.01, epochs), X, y, 0.01, epochs, torch.float32,
                       ref=ref)

    # ------------------------------------------------------------ types

    def check_w_is_python_float(self, learner, fix: str) -> None:
        """fn returns a tuple whose w is a Python float; `fix` shows the return statement."""
        X, y = self.seed
        inputs = inputs_of(X, y, 0.01, 5)
        result = self.value_of(self.seed_call(learner, 5))
        if type(result) is not tuple or len(result) != 2:
            checks.fail(f"{self.call} should return a tuple (w, losses): {fix}",
                        inputs=inputs, received=result, contract=self.contract)
        checks.python_float(result[0], run(X, y, 0.01, 5)[0], call=f"{self.call}[0]",
                            inputs=inputs, contract=self.contract, dtype=torch.float32)

    def check_works_in_float64(self, learner, numpy: bool, dtype_fix: str) -> None:
        """On float64 data w must be float64 too: one epoch on x = [1], y = [1/3] at lr 0.5 lands
        exactly on w = 1/3, which float32 holds only to 3e-8."""
        X, y = torch.tensor([1.0], dtype=torch.float64), torch.tensor([1 / 3], dtype=torch.float64)
        if numpy:
            X, y = X.numpy(), y.numpy()
        inputs = inputs_of(X, y, 0.5, 1)
        w, _ = self.read_result(learner.call(self.fn, X, y, 0.5, 1), inputs, 1)
        if abs(w - 1 / 3) <= 1e-12:
            return
        headline = f"{self.call} on float64 data should give w = 1/3 to float64 precision"
        if abs(w - float(torch.tensor(1 / 3, dtype=torch.float32))) <= 1e-12:
            headline = f"{self.call} keeps w in float32 although the data is float64: {dtype_fix}"
        checks.fail(headline, inputs=inputs, contract=self.contract,
                    extra=f"expected w = {1 / 3!r}, received {w!r}: work in the dtype of the inputs")

    def check_losses_are_python_floats(self, learner, tensor_fix: str) -> None:
        X, y = self.seed
        inputs = inputs_of(X, y, 0.01, 5)
        result = self.value_of(self.seed_call(learner, 5))
        losses = result[1] if isinstance(result, tuple | list) and len(result) == 2 else None
        check_python_floats(losses, 5, call=self.call, inputs=inputs, contract=self.contract,
                            not_a_list=f"{self.call}: losses (the second item) should be a list",
                            tensor_fix=tensor_fix)


def _same_run(w, losses, ref, dtype) -> bool:
    return checks.close(w, ref[0], dtype) and checks.close(losses, ref[1], dtype)
