"""Judge-side checks for hidden suites: compare what learner code returned, and explain misses.

Every check raises ``Mistake`` (an AssertionError) whose text is what the learner reads: the likely
mistake first, then the input, expected and received values, then the contract line. Values are
compared in float64 with tolerances fitted to the dtype the learner worked in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import torch

from grader.sandbox.codec import ArraySeen, NumpyScalarSeen, Ref, TensorSeen
from grader.sandbox.seam import Outcome

TOLERANCES = {  # (rtol, atol relative to the expected values' scale)
    torch.float64: (1e-7, 1e-9),
    torch.float32: (2e-4, 2e-6),
    torch.float16: (2e-2, 2e-3),
    torch.bfloat16: (5e-2, 1e-2),
}


class Mistake(AssertionError):
    """A check failed; the text is written for the learner."""


# ---------------------------------------------------------------- formatting


def fmt(value: Any, limit: int = 8) -> str:
    """Short, deterministic text for a value: numbers to 6 significant digits."""
    if isinstance(value, TensorSeen):
        value = value.value
    if isinstance(value, ArraySeen | NumpyScalarSeen):
        value = value.value
    if isinstance(value, torch.Tensor):
        flat = value.detach().reshape(-1).tolist()
        body = _numbers(flat, limit)
        shape = "x".join(map(str, value.shape)) or "scalar"
        return f"tensor({body}, {str(value.dtype).removeprefix('torch.')}, {shape})"
    if isinstance(value, np.ndarray):
        shape = "x".join(map(str, value.shape)) or "scalar"
        return f"array({_numbers(value.reshape(-1).tolist(), limit)}, {value.dtype}, {shape})"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | tuple):
        inner = ", ".join(fmt(v, limit) for v in value[:limit])
        more = ", …" if len(value) > limit else ""
        return f"[{inner}{more}]" if isinstance(value, list) else f"({inner}{more})"
    if isinstance(value, Ref):
        return f"<{value.type_name}>"
    return repr(value)


def _numbers(flat: list, limit: int) -> str:
    shown = ", ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in flat[:limit])
    more = f", … ({len(flat)} values)" if len(flat) > limit else ""
    return f"[{shown}{more}]" if len(flat) != 1 else shown


def report(headline: str, *, inputs: Mapping[str, Any] | str | None = None, expected: Any = None,
           received: Any = None, contract: str | None = None, extra: str | None = None) -> str:
    lines = [headline]
    if inputs:
        text = inputs if isinstance(inputs, str) else ", ".join(f"{k} = {fmt(v)}" for k, v in inputs.items())
        lines.append(f"  input:    {text}")
    if expected is not None:
        lines.append(f"  expected: {fmt(expected)}")
    if received is not None:
        lines.append(f"  received: {fmt(received)}")
    if extra:
        lines.append(f"  {extra}")
    if contract:
        lines.append(f"  contract: {contract}")
    return "\n".join(lines)


def fail(headline: str, **details: Any) -> None:
    raise Mistake(report(headline, **details))


# ---------------------------------------------------------------- comparing numbers


def tolerance(dtype: torch.dtype) -> tuple[float, float]:
    return TOLERANCES.get(dtype, TOLERANCES[torch.float32])


def close(received: Any, expected: Any, dtype: torch.dtype = torch.float64,
          rtol: float | None = None, atol: float | None = None) -> bool:
    """Elementwise closeness in float64, the absolute part scaled by the expected magnitude."""
    got = torch.as_tensor(np.asarray(received, dtype=np.float64) if not isinstance(received, torch.Tensor)
                          else received.detach().to(torch.float64))
    want = torch.as_tensor(np.asarray(expected, dtype=np.float64) if not isinstance(expected, torch.Tensor)
                           else expected.detach().to(torch.float64))
    if got.shape != want.shape:
        return False
    default_rtol, default_atol = tolerance(dtype)
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    scale = float(want.abs().max()) if want.numel() else 1.0
    scale = max(scale, 1.0) if math.isfinite(scale) else 1.0
    return bool(torch.allclose(got, want, rtol=rtol, atol=atol * scale, equal_nan=False))


class OnMiss(Mapping):
    """Known wrong answers, label → value, worked out by ``make`` when first read: the checks read
    them only once an answer misses (``explain_miss``), so a right answer never pays for them."""

    def __init__(self, make: Callable[[], Mapping]) -> None:
        self._make = make
        self._made: Mapping | None = None

    def _answers(self) -> Mapping:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, label: str) -> Any:
        return self._answers()[label]

    def __iter__(self) -> Iterator:
        return iter(self._answers())

    def __len__(self) -> int:
        return len(self._answers())


def explain_miss(received: torch.Tensor, expected: torch.Tensor, *, n: int | None = None,
                 known: Mapping[str, Any] | None = None, dtype: torch.dtype = torch.float64) -> str:
    """Name the likely mistake behind a wrong answer, or say how far off it is."""
    got = received.detach().to(torch.float64)
    want = expected.detach().to(torch.float64)
    for label, wrong in (known or {}).items():
        if close(got, torch.as_tensor(wrong, dtype=torch.float64), dtype):
            return label
    if not torch.isfinite(got).all():
        return "the result has nan or inf in it"
    if want.abs().max() > 0 and got.abs().max() == 0:
        return "the result is all zeros"
    mask = want.abs() > 1e-12
    if mask.any():
        ratios = got[mask] / want[mask]
        ratio = float(ratios.mean())
        steady = float(ratios.std()) < 1e-3 * max(abs(ratio), 1.0) if ratios.numel() > 1 else True
        if steady and close(got, want * ratio, dtype):
            named = _ratio_name(ratio, n)
            if named:
                return named
    diff = (got - want).abs()
    worst = int(diff.reshape(-1).argmax()) if diff.numel() else 0
    where = f" at index {[int(i) for i in np.unravel_index(worst, tuple(want.shape))]}" if want.dim() else ""
    return f"the values are off (largest difference {float(diff.max()):.3g}{where})"


def _ratio_name(ratio: float, n: int | None) -> str | None:
    def near(target: float) -> bool:
        return abs(ratio - target) <= 1e-3 * abs(target)

    if near(-1):
        return "the sign is flipped: check the order of the subtraction"
    if n and n > 1:
        if near(n):
            return f"off by a factor of N = {n}: did you take the mean? (a sum where the mean belongs)"
        if near(1 / n):
            return f"{n} times too small (N = {n}): is there an extra division by N?"
        if near(-n):
            return f"off by a factor of −N = −{n}: a sum where the mean belongs, and the sign is flipped"
    if near(0.5):
        return "half the expected value: the factor 2 from differentiating the square is missing"
    if near(2):
        return "twice the expected value: a factor 2 too many"
    if near(-0.5):
        return "minus half the expected value: the factor 2 is missing and the sign is flipped"
    return None


# ---------------------------------------------------------------- what a call returned


def tensor(outcome: Outcome | Any, expected: torch.Tensor, *, call: str, inputs: Mapping[str, Any] | str,
           contract: str, differentiable: bool = False, n: int | None = None,
           known: Mapping[str, Any] | None = None, rtol: float | None = None,
           atol: float | None = None) -> TensorSeen:
    """Check a returned tensor: exact type, dtype, shape, graph, then values. Returns what was seen."""
    seen = outcome.value if isinstance(outcome, Outcome) else outcome
    if type(seen) is torch.Tensor:  # a gradient read off an argument: plain data already
        seen = TensorSeen(value=seen)
    details = {"inputs": inputs, "contract": contract}
    if not isinstance(seen, TensorSeen):
        fail(f"{call} should return a torch.Tensor; it returned {_kind(seen)}", received=seen, **details)
    if not seen.exact:
        fail(f"{call} returned a {seen.type_name}; return a plain torch.Tensor", **details)
    if seen.value.dtype != expected.dtype:
        fail(f"{call} returned {str(seen.value.dtype).removeprefix('torch.')} for "
             f"{str(expected.dtype).removeprefix('torch.')} inputs: work in the dtype of the inputs",
             **details)
    if seen.value.shape != expected.shape:
        fail(f"{call} returned shape {tuple(seen.value.shape)}; expected {tuple(expected.shape)}"
             + _shape_hint(seen.value.shape, expected.shape),
             expected=expected, received=seen.value, **details)
    if differentiable and not seen.has_graph:
        fail(f"{call} is not differentiable: its result has no autograd graph "
             "(no .detach(), .item() or torch.no_grad() on the way)", **details)
    if not differentiable and (seen.has_graph or seen.requires_grad):
        fail(f"{call} returned a tensor that still carries an autograd graph: "
             "return .detach() of it, or compute under torch.no_grad()", **details)
    if not close(seen.value, expected, expected.dtype, rtol, atol):
        why = explain_miss(seen.value, expected, n=n, known=known, dtype=expected.dtype)
        fail(f"{call}: {why}", expected=expected, received=seen.value, **details)
    return seen


def _shape_hint(got: torch.Size, want: torch.Size) -> str:
    if len(want) == 1 and tuple(got) == (want[0], want[0]) and want[0] > 1:
        return ": an (N,1) column broadcast against an (N,) vector makes an N×N matrix"
    if len(got) == 0 and len(want) > 0:
        return ": did you reduce (sum or mean) where an elementwise result is asked for?"
    if len(want) == 0 and len(got) > 0:
        return ": the result should be a single number (a 0-d tensor)"
    return ""


def _kind(value: Any) -> str:
    if isinstance(value, TensorSeen):
        return f"a {value.type_name} (a tensor)"
    if isinstance(value, ArraySeen):
        return "a numpy array"
    if isinstance(value, NumpyScalarSeen):
        return f"a numpy {value.dtype} scalar"
    if isinstance(value, Ref):
        return f"a {value.type_name}"
    return f"a {type(value).__name__}" if value is not None else "None"


def python_float(outcome: Outcome | Any, expected: float, *, call: str, inputs: Mapping[str, Any] | str,
                 contract: str, n: int | None = None, known: Mapping[str, Any] | None = None,
                 dtype: torch.dtype = torch.float64, rtol: float | None = None,
                 atol: float | None = None) -> float:
    """Check a returned Python float (not a tensor, not a numpy scalar)."""
    seen = outcome.value if isinstance(outcome, Outcome) else outcome
    details = {"inputs": inputs, "contract": contract}
    if isinstance(seen, TensorSeen):
        fail(f"{call} returned a tensor; the contract asks for a Python float: use .item()",
             expected=expected, received=seen.value, **details)
    if isinstance(seen, NumpyScalarSeen | ArraySeen):
        fail(f"{call} returned {_kind(seen)}; the contract asks for a Python float: wrap it in float()",
             expected=expected, received=seen.value, **details)
    if type(seen) is not float:
        fail(f"{call} should return a Python float; it returned {_kind(seen)}", received=seen, **details)
    if not close(seen, expected, dtype, rtol, atol):
        why = explain_miss(torch.tensor(seen), torch.tensor(expected), n=n, known=known, dtype=dtype)
        fail(f"{call}: {why}", expected=expected, received=seen, **details)
    return seen


def array(outcome: Outcome | Any, expected: np.ndarray, *, call: str, inputs: Mapping[str, Any] | str,
          contract: str, n: int | None = None, known: Mapping[str, Any] | None = None) -> np.ndarray:
    """Check a returned numpy array: type, dtype, shape, values."""
    seen = outcome.value if isinstance(outcome, Outcome) else outcome
    details = {"inputs": inputs, "contract": contract}
    if not isinstance(seen, ArraySeen):
        fail(f"{call} should return a numpy array; it returned {_kind(seen)}", received=seen, **details)
    got = seen.value
    if got.shape != expected.shape:
        fail(f"{call} returned shape {got.shape}; expected {expected.shape}"
             + _shape_hint(torch.Size(got.shape), torch.Size(expected.shape)),
             expected=expected, received=got, **details)
    dtype = torch.float32 if expected.dtype == np.float32 else torch.float64
    if not close(got, expected, dtype):
        why = explain_miss(torch.from_numpy(got.astype(np.float64)), torch.from_numpy(
            expected.astype(np.float64)), n=n, known=known, dtype=dtype)
        fail(f"{call}: {why}", expected=expected, received=got, **details)
    return got


# ---------------------------------------------------------------- reading numbers leniently


def read_number(seen: Any, *, arrays: bool = True, bool_scalars: bool = False,
                floats_only: bool = False) -> float | None:
    """One number read leniently, for a value test whose result type has a test of its own.

    Reads a Python float or int (never a bool), a numpy scalar that is not a numpy bool, and a
    one-element tensor or numpy array. ``bool_scalars`` reads numpy bools too (as 0 or 1);
    ``arrays=False`` refuses numpy arrays; ``floats_only`` refuses a Python int and tensors or
    arrays of a non-floating dtype (numpy scalars are read whatever their kind). None when
    ``seen`` is not one number read this way.
    """
    if isinstance(seen, NumpyScalarSeen):
        return float(seen.value) if bool_scalars or not isinstance(seen.value, bool) else None
    if isinstance(seen, TensorSeen):
        value = seen.value
        readable = value.numel() == 1 and (value.is_floating_point() or not floats_only)
        return float(value.reshape(-1)[0]) if readable else None
    if isinstance(seen, ArraySeen):
        value = seen.value
        readable = arrays and value.size == 1 and (value.dtype.kind == "f" or not floats_only)
        return float(value.reshape(-1)[0]) if readable else None
    if type(seen) is float or (type(seen) is int and not floats_only):
        return float(seen)
    return None


def as_number(outcome: Outcome | Any, *, call: str, inputs: Mapping[str, Any] | str, contract: str,
              what: str = "a number", shape_hint: str | None = None, **reading: bool) -> float:
    """``read_number`` for a value test, failing with a message when no number can be read.

    The message says ``{call} should return {what}``. With ``shape_hint``, a tensor or array of
    the wrong size is named by its shape, followed by the hint (what to reduce over).
    """
    seen = outcome.value if isinstance(outcome, Outcome) else outcome
    number = read_number(seen, **reading)
    if number is not None:
        return number
    details = {"inputs": inputs, "contract": contract}
    if shape_hint is None:
        fail(f"{call} should return {what}; it returned {fmt(seen)}", **details)
    if isinstance(seen, ArraySeen | TensorSeen):
        fail(f"{call} should return one number, {what}; it returned shape "
             f"{tuple(seen.value.shape)}: {shape_hint}", received=seen.value, **details)
    fail(f"{call} should return {what}; it returned {type(seen).__name__}", received=seen, **details)


# ---------------------------------------------------------------- behaviour rules


def unchanged(before: torch.Tensor, after: Any, *, name: str, call: str, contract: str) -> None:
    """'Must not modify': values, requires_grad and .grad as they were before the call."""
    if not isinstance(after, TensorSeen):
        fail(f"{call}: could not read {name} back after the call", contract=contract)
    if not torch.equal(after.value, before.detach()):
        fail(f"{call} changed the values of {name}: work on a copy (x.clone() or "
             "x.detach().clone()), or restore nothing by arithmetic, which rounds",
             expected=before.detach(), received=after.value, contract=contract)
    if after.requires_grad != before.requires_grad:
        fail(f"{call} changed {name}.requires_grad from {before.requires_grad} to "
             f"{after.requires_grad}: use a detached copy instead of the caller's tensor",
             contract=contract)
    before_grad = before.grad
    if (before_grad is None) != (after.grad is None) or (
            before_grad is not None and not torch.equal(before_grad, after.grad)):
        fail(f"{call} left {name}.grad changed: compute the gradient on a copy, or with "
             "torch.autograd.grad, so the caller's .grad stays as it was",
             expected=before_grad, received=after.grad, contract=contract)


def array_unchanged(before: np.ndarray, after: Any, *, name: str, call: str, contract: str, fix: str,
                    inputs: Mapping[str, Any] | str | None = None, same_dtype: bool = True) -> None:
    """'Must not modify' for a numpy array: its values (and, with ``same_dtype``, its dtype) as
    they were before the call; ``fix`` tells the learner how to leave it alone."""
    if not isinstance(after, ArraySeen):
        fail(f"{call}: could not read {name} back after the call", contract=contract)
    if (same_dtype and after.value.dtype != before.dtype) or not np.array_equal(after.value, before):
        fail(f"{call} changed {name}: {fix}", inputs=inputs, expected=before, received=after.value,
             contract=contract)


def raises(outcome: Outcome, error: str, *, call: str, inputs: Mapping[str, Any] | str,
           contract: str, why: str) -> None:
    """The call must raise ``error`` (or a subclass of it)."""
    if outcome.raised is None:
        fail(f"{call} should raise {error} ({why}); it returned {fmt(outcome.returned)}",
             inputs=inputs, contract=contract)
    if not outcome.raised.is_a(error):
        if outcome.raised.is_a("NotImplementedError"):
            fail(f"{call} is not written yet: it still raises NotImplementedError", contract=contract)
        fail(f"{call} should raise {error} ({why}); it raised {outcome.raised.describe()}",
             inputs=inputs, contract=contract)


def no_graph(seen: TensorSeen, *, call: str, contract: str) -> None:
    if seen.has_graph or seen.requires_grad:
        fail(f"{call} returned a tensor that still carries an autograd graph: "
             "return .detach() of it, or compute under torch.no_grad()", contract=contract)


def written_without(learner: Any, forbidden: tuple[str, ...], outcome: Outcome | None, *, call: str,
                    contract: str) -> None:
    """The kata neither imports nor uses a forbidden name in its file, nor called one during
    ``outcome`` (a call made with ``watch=forbidden``)."""
    from grader.grading.names_used import names_used  # only suites with such a rule need it

    uses = names_used(learner.source(), forbidden)
    if uses:
        lines = sorted({use.line for use in uses})
        where = ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines[:5]))
        fail(f"{learner.shown_path} uses {uses[0].written} ({where}{', …' if len(lines) > 5 else ''}): "
             f"this kata asks you to write it yourself, without {_listed(forbidden)}",
             contract=contract)
    if outcome is not None and outcome.watched:
        fail(f"{call} called {_listed(tuple(outcome.watched))} while it ran: this kata asks you to "
             f"write it yourself, without {_listed(forbidden)}", contract=contract)


def _listed(names: tuple[str, ...]) -> str:
    shown = [name.replace("Tensor.", "the tensor method .") for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
