"""Judge logic shared by the 13_curvature suites: the losses of grader/sandbox/scenarios/topic_13
(and rosenbrock, quadratic and linear_mse of common), their Hessians in float64, power iteration
replayed exactly as the contract writes it, and the 2·10⁵-parameter case.

References are computed here, in float64: Hessian-vector products by
``torch.autograd.functional.hvp`` (checked against the closed forms), Hessians by
``torch.autograd.functional.hessian`` for the small cases, eigenvalues by ``torch.linalg.eigvalsh``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Scenario
from grader.sandbox.scenarios.topic_13 import chain_diagonal
from grader.sandbox.seam import SeamError

# "without X": the library does it for you in these
FORBIDDEN = ("torch.autograd.functional", "torch.func")

# The temperature chapter's data (contract, 07_temperature)
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]

BIG = 200_000  # parameters: H in float64 would take BIG² · 8 bytes = 320 GB
BIG_NOTE = (f"params has {BIG:,} elements, so H would have {BIG:,}² entries, 320 GB in float64: "
            "use only Hessian-vector products (double backward), never H, not even a row at a time")

Loss = Callable[[torch.Tensor], torch.Tensor]


def temperature_x(scale: float = 1.0, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """X = [scale·t_u, 1] of shape (11, 2): 07_temperature's model w·t_u + b as X @ [w, b]."""
    t_u = torch.tensor(T_U, dtype=torch.float64) * scale
    return torch.stack([t_u, torch.ones_like(t_u)], dim=1).to(dtype)


def loss_of(spec: Scenario) -> Loss:
    """The judge's own copy of a scenario's loss (the very callable the learner's code is given)."""
    return scenarios.judge_side(spec)


def describe(spec: Scenario) -> str:
    shown = {k: (f"[{len(v)} values]" if isinstance(v, list) and len(v) > 6 else v)
             for k, v in spec.params.items()}
    return f"{spec.name} {shown}" if shown else spec.name


# ---------------------------------------------------------------- Hessians and products, float64


def hvp_reference(spec: Scenario, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """H(x)·v by torch.autograd.functional.hvp, in float64, shaped like x."""
    x64, v64 = x.detach().to(torch.float64), v.detach().to(torch.float64)
    return torch.autograd.functional.hvp(loss_of(spec), x64, v64)[1]


def hessian(spec: Scenario, x: torch.Tensor) -> torch.Tensor:
    """H(x) as a (D, D) matrix in float64 (small cases only), by torch.autograd.functional.hessian."""
    flat = x.detach().to(torch.float64).reshape(-1)
    f = loss_of(spec)
    return torch.autograd.functional.hessian(lambda p: f(p.reshape(x.shape)), flat)


def closed_form_hessian(spec: Scenario, x: torch.Tensor) -> torch.Tensor:
    """H(x) written out by hand, in float64, for the scenarios whose Hessian is known."""
    flat = x.detach().to(torch.float64).reshape(-1)
    size = flat.numel()
    if spec.name in ("curvature_quadratic", "quadratic"):
        a = torch.tensor(spec.params["matrix"], dtype=torch.float64)
        return (a + a.T) / 2
    if spec.name == "curvature_chain":
        kappa, quartic = spec.params.get("kappa", 1.0), spec.params.get("quartic", 0.5)
        diagonal = chain_diagonal(size, torch.float64) + 3 * quartic * flat**2
        return torch.diag(diagonal) + kappa * laplacian(size)
    if spec.name == "curvature_linear":
        return torch.zeros(size, size, dtype=torch.float64)
    if spec.name == "curvature_partly_linear":
        curved = spec.params["curved"]
        diagonal = torch.zeros(size, dtype=torch.float64)
        diagonal[:curved] = torch.cosh(flat[:curved])
        return torch.diag(diagonal)
    if spec.name == "linear_mse":
        u = torch.tensor(spec.params["inputs"], dtype=torch.float64)
        xs = torch.stack([u, torch.ones_like(u)], dim=1)
        return 2 / len(u) * xs.T @ xs
    raise KeyError(spec.name)


def laplacian(size: int) -> torch.Tensor:
    """The chain's Laplacian: the Hessian of ½·Σ (p_{i+1} − p_i)²."""
    lap = torch.zeros(size, size, dtype=torch.float64)
    for i in range(size - 1):
        lap[i, i] += 1
        lap[i + 1, i + 1] += 1
        lap[i, i + 1] -= 1
        lap[i + 1, i] -= 1
    return lap


def chain_hvp(x: torch.Tensor, v: torch.Tensor, kappa: float = 1.0, quartic: float = 0.5) -> torch.Tensor:
    """curvature_chain's H(x)·v by hand, in float64, for any size (no matrix)."""
    p, u = x.detach().to(torch.float64).reshape(-1), v.detach().to(torch.float64).reshape(-1)
    out = (chain_diagonal(p.numel(), torch.float64) + 3 * quartic * p**2) * u
    diff = u[1:] - u[:-1]
    out[:-1] -= kappa * diff
    out[1:] += kappa * diff
    return out.reshape(x.shape)


def agree(a: torch.Tensor, b: torch.Tensor, what: str) -> None:
    """A guard on this suite: two float64 references agree."""
    scale = max(float(b.abs().max()), 1.0) if b.numel() else 1.0
    assert torch.allclose(a, b, rtol=1e-10, atol=1e-10 * scale), f"suite bug: {what}"


# ---------------------------------------------------------------- power iteration, replayed


def start_vector(shape: tuple, dtype: torch.dtype, seed: int) -> torch.Tensor:
    """v₀ as the contract draws it: torch.randn(shape, generator=seeded, dtype=dtype)."""
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def replay(apply_h: Callable[[torch.Tensor], torch.Tensor], start: torch.Tensor, iters: int, *,
           unsigned: bool = False, normalize_start: bool = True, rayleigh_after: bool = False) -> float:
    """The contract's power iteration in float64 from ``start``; keywords make classic mistakes:
    ``unsigned`` returns ‖w‖, ``normalize_start=False`` skips scaling v₀, ``rayleigh_after``
    returns vᵀHv of the last v (one product too many)."""
    v = start.detach().to(torch.float64).reshape(-1)
    if normalize_start:
        v = v / v.norm()
    eigenvalue = 0.0
    for _ in range(iters):
        w = apply_h(v)
        if not bool(w.any()):
            return 0.0
        eigenvalue = float(w.norm()) if unsigned else float(v @ w)
        v = w / w.norm()
    if rayleigh_after:
        eigenvalue = float(v @ apply_h(v))
    return eigenvalue


def matrix_apply(h: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    return lambda v: h @ v


def power_wrong_answers(apply_h, shape: tuple, dtype: torch.dtype, seed: int, iters: int) -> dict:
    """The classic wrong results of power iteration, label → value (computed, not guessed)."""
    start = start_vector(shape, dtype, seed)
    size = start.numel()
    uniform = torch.rand(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)
    known = {
        "you returned ‖w‖, which has no sign: λ is the Rayleigh quotient vᵀw (= vᵀHv with ‖v‖ = 1), "
        "negative when the top eigenvalue in magnitude is negative":
            replay(apply_h, start, iters, unsigned=True),
        "v₀ was not scaled to unit length: divide torch.randn(...) by its norm before the first "
        "product, so that vᵀw is a Rayleigh quotient": replay(apply_h, start, iters, normalize_start=False),
        "you returned vᵀHv of the last normalized v, one Hessian-vector product too many: return "
        "the λ = vᵀw computed in the last of the iters iterations": replay(apply_h, start, iters,
                                                                            rayleigh_after=True),
        "the start is a vector of ones, not torch.randn(params.shape, generator=generator, "
        "dtype=params.dtype)": replay(apply_h, torch.ones(shape, dtype=torch.float64), iters),
        "v₀ was drawn with torch.rand (uniform in [0, 1)): the contract draws it with torch.randn":
            replay(apply_h, uniform, iters),
        f"one iteration too few: take exactly iters = {iters} Hessian-vector products":
            replay(apply_h, start, iters - 1) if iters > 1 else float("nan"),
        f"one iteration too many: take exactly iters = {iters} Hessian-vector products":
            replay(apply_h, start, iters + 1),
    }
    if dtype != torch.float32 and size >= 16:  # below 16 values torch draws the same numbers
        known["v₀ was drawn in float32 (torch.randn's default dtype), not in params.dtype: pass "
              "dtype=params.dtype to torch.randn"] = replay(apply_h, start_vector(shape, torch.float32, seed),
                                                            iters)
    return known


def generator_note(learner, outcome, shape: tuple, dtype: torch.dtype, seed: int,
                   position: int) -> str | None:
    """What the learner's code did with the generator, when that explains a wrong result."""
    ref = outcome.args[position] if len(outcome.args) > position else None
    try:
        state = learner.call_ref(ref, attr="get_state").value if ref is not None else None
    except Exception:  # noqa: BLE001 - only a hint: the value check has already failed
        return None
    state = getattr(state, "value", None)
    if not isinstance(state, torch.Tensor):
        return None
    fresh = torch.Generator().manual_seed(seed)
    if torch.equal(state, fresh.get_state()):
        return ("nothing was drawn from the generator you were given: draw v₀ from it, "
                "torch.randn(params.shape, generator=generator, dtype=params.dtype), not from "
                "torch's global random state")
    torch.randn(shape, generator=fresh, dtype=dtype)
    if not torch.equal(state, fresh.get_state()):
        return ("the generator was used, but not for exactly one torch.randn(params.shape, "
                "generator=generator, dtype=params.dtype): v₀ is that one draw")
    return None


def seam_note(error: SeamError, call: str) -> SeamError:
    """A hang or crash on the big case, explained (the same status, a message that names why)."""
    return type(error)(f"{call} did not finish on {BIG:,} parameters ({error}). {BIG_NOTE}")


def big_case(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(params, v) of the big case, float64, seeded."""
    return cases.randn(seed, BIG, scale=0.8), cases.randn(seed + 1, BIG)


def check_big_raised(outcome, call: str, contract: str) -> None:
    """The big case raised (often an allocation of H): say why it must not."""
    if outcome.raised is not None and not outcome.raised.is_a("NotImplementedError"):
        checks.fail(f"{call} raised {outcome.raised.describe()}. {BIG_NOTE}", contract=contract)
