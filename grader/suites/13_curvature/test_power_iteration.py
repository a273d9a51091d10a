"""Hidden suite for 13_curvature/power_iteration."""

import math

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen
from grader.sandbox.seam import SeamError
from grader.suites.shared import curvature_judge as judge
from grader.suites.shared.scenario_gradients import watched

CONTRACT = ("top_eigenvalue(loss_fn, params, iters, generator) -> float: power iteration on H(params) "
            "with Hessian-vector products only: v₀ = torch.randn(params.shape, generator=generator, "
            "dtype=params.dtype) / its norm; iters times w = H·v, λ = vᵀw (signed), v ← w/‖w‖; returns "
            "the last λ (0.0 as soon as w = 0); ValueError if iters < 1; must not modify params; "
            "without torch.autograd.functional or torch.func")
CALL = "top_eigenvalue(loss_fn, params, iters, generator)"


def generator(seed: int) -> Scenario:
    return Scenario("torch_generator", {"seed": seed})


def shown(spec: Scenario, x: torch.Tensor, iters: int, seed: int) -> dict:
    return {"loss_fn": judge.describe(spec), "params": x, "iters": iters,
            "generator": f"torch.Generator().manual_seed({seed})"}


def number(outcome, inputs: dict) -> float:
    """The returned number, read leniently (the Python-float rule has its own test)."""
    return checks.as_number(outcome, call=CALL, inputs=inputs, contract=CONTRACT,
                            what="the eigenvalue estimate as a number (a Python float)")


def symmetric(seed: int, eigenvalues: list[float]) -> list[list[float]]:
    """Q·diag(eigenvalues)·Qᵀ with a seeded orthogonal Q: a matrix whose spectrum is known."""
    q, _ = torch.linalg.qr(cases.randn(seed, len(eigenvalues), len(eigenvalues)))
    return (q @ torch.diag(torch.tensor(eigenvalues, dtype=torch.float64)) @ q.T).tolist()


SEED_A = [[2.0, -1.0], [-1.0, 2.0]]  # eigenvalues 3 and 1
SEED = Scenario("curvature_quadratic", {"matrix": SEED_A})
SEED_NEGATED = Scenario("curvature_quadratic", {"matrix": [[-a for a in row] for row in SEED_A]})
INDEFINITE = Scenario("curvature_quadratic", {"matrix": symmetric(500, [-5.0, 3.0, 1.0, 0.5, -0.2])})
QUAD4 = Scenario("curvature_quadratic", {"matrix": symmetric(503, [4.0, -2.0, 1.0, 0.5])})
QUAD20 = Scenario("curvature_quadratic", {"matrix": symmetric(501, cases.randn(502, 20, scale=2.0).tolist())})
LOGISTIC = Scenario("curvature_logistic", {"seed": 11, "rows": 40})
CHAIN = Scenario("curvature_chain", {"kappa": 1.5})
ROSEN = Scenario("rosenbrock", {})
LINEAR = Scenario("curvature_linear", {"weights": [1.0, -2.0, 0.5, 3.0], "offset": 1.0})


def hessian(spec: Scenario, x: torch.Tensor) -> torch.Tensor:
    """H(x) in float64, by torch.autograd.functional.hessian (tests/test_published_numbers_03_12_13.py
    checks it against the closed forms)."""
    return judge.hessian(spec, x)


def wrong_answers(apply_h, shape: tuple, dtype: torch.dtype, seed: int, iters: int) -> checks.OnMiss:
    """Power iteration's classic wrong results, worked out only when an estimate misses."""
    return checks.OnMiss(lambda: judge.power_wrong_answers(apply_h, shape, dtype, seed, iters))


# ---------------------------------------------------------------- the algorithm, replayed

# id → (loss, shape of params, scale of params, iters, generator seed)
REPLAY_CASES = {
    "quadratic-4-one-iteration": (QUAD4, (4,), 1.0, 1, 21),
    "quadratic-4x5-three-iterations": (QUAD20, (4, 5), 1.0, 3, 22),
    "logistic-16-four-iterations": (LOGISTIC, (16,), 0.3, 4, 23),
    "rosenbrock-5-six-iterations": (ROSEN, (5,), 0.8, 6, 24),
    "chain-20-five-iterations": (CHAIN, (20,), 0.9, 5, 25),
}


def replay_case(case: str, dtype: torch.dtype):
    spec, shape, scale, iters, seed = REPLAY_CASES[case]
    x = cases.randn(510 + 3 * list(REPLAY_CASES).index(case), *shape, dtype=dtype, scale=scale)
    apply_h = judge.matrix_apply(hessian(spec, x))
    expected = judge.replay(apply_h, judge.start_vector(shape, dtype, seed), iters)
    return spec, x, iters, seed, expected, wrong_answers(apply_h, shape, dtype, seed, iters)


def check_estimate(learner, spec, x, iters, seed, expected, known, *, rtol=None, extra=None):
    inputs = shown(spec, x, iters, seed)
    outcome = learner.call("top_eigenvalue", spec, x, iters, generator(seed))
    got = number(outcome, inputs)
    if not checks.close(got, expected, x.dtype, rtol=rtol):
        why = checks.explain_miss(torch.tensor(got), torch.tensor(expected), known=known, dtype=x.dtype)
        if why.startswith("the values are off") or why.startswith("the result"):
            why = judge.generator_note(learner, outcome, tuple(x.shape), x.dtype, seed, 3) or why
        checks.fail(f"{CALL}: {why}", inputs=inputs, expected=expected, received=got, contract=CONTRACT,
                    extra=extra)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("case", list(REPLAY_CASES))
def test_replays_the_algorithm(learner, case, dtype):
    """the λ of the contract's algorithm, replayed with the same v₀, after exactly iters products"""
    check_estimate(learner, *REPLAYS[case, dtype])


# ---------------------------------------------------------------- the seeds and convergence


SEED_X = [0.5, -1.0]
SEED_ITERS, SEED_SEED = 40, 3


def seed_case(spec: Scenario, dtype: torch.dtype):
    """(params, the replayed λ, its wrong answers) of a seed (tests/test_published_numbers_03_12_13.py
    checks the λ against the contract's ±3.0)."""
    x = torch.tensor(SEED_X, dtype=dtype)
    apply_h = judge.matrix_apply(hessian(spec, x))
    expected = judge.replay(apply_h, judge.start_vector((2,), dtype, SEED_SEED), SEED_ITERS)
    return x, expected, wrong_answers(apply_h, (2,), dtype, SEED_SEED, SEED_ITERS)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("spec, eigenvalue", [(SEED, 3.0), (SEED_NEGATED, -3.0)], ids=["3.0", "minus-3.0"])
def test_seed(learner, spec, eigenvalue, dtype):
    """seed: ½pᵀ[[2, −1], [−1, 2]]p gives 3.0, its negation −3.0"""
    x, expected, known = SEEDS[eigenvalue, dtype]
    check_estimate(learner, spec, x, SEED_ITERS, SEED_SEED, expected, known,
                   extra="H = [[2, −1], [−1, 2]] (negated for −3.0) has eigenvalues ±3 and ±1")


# id → (loss, params, iters, generator seed). iters: enough for the replay to come within 1e-9 of
# eigvalsh's λ (tests/test_published_numbers_03_12_13.py checks it), and for a v never normalized
# (λ = vᵀw/vᵀv) to overflow or underflow: in float32 in every case, in float64 at rosenbrock's 60
CONVERGED_CASES = {
    "indefinite-top-is-minus-5": (INDEFINITE, cases.randn(520, 5), 40, 31),
    "logistic-8": (Scenario("curvature_logistic", {"seed": 12, "rows": 25}), cases.randn(521, 8, scale=0.3),
                   70, 32),
    "rosenbrock-at-its-minimum": (ROSEN, torch.ones(4, dtype=torch.float64), 60, 33),
}


def converged(case: str) -> float:
    """The eigenvalue of largest magnitude by eigvalsh, float64."""
    spec, x, _, _ = CONVERGED_CASES[case]
    eigenvalues = torch.linalg.eigvalsh(hessian(spec, x))
    return float(eigenvalues[eigenvalues.abs().argmax()])


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
@pytest.mark.parametrize("case", list(CONVERGED_CASES))
def test_converges_to_eigvalsh(learner, case, dtype):
    """converges to the eigenvalue of largest magnitude that torch.linalg.eigvalsh gives"""
    spec, x, iters, seed = CONVERGED_CASES[case]
    x = x.to(dtype)
    top = CONVERGED[case]
    known = checks.OnMiss(lambda: judge.power_wrong_answers(judge.matrix_apply(hessian(spec, x)),
                                                            tuple(x.shape), dtype, seed, iters))
    check_estimate(learner, spec, x, iters, seed, top, known,
                   extra=f"the eigenvalue of H of largest magnitude, by torch.linalg.eigvalsh: {top:.6g}")


TEMPERATURE_ITERS, TEMPERATURE_SEED = 8, 41


def temperature_case(scale: float):
    """(loss, params, H, λmax) of 07_temperature's loss on scale·t_u (tests/test_published_numbers_03_12_13.py
    checks λmax against the contract's 5883.42 and 60.6461)."""
    spec = Scenario("linear_mse", {"inputs": [t * scale for t in judge.T_U], "targets": judge.T_C})
    x = torch.tensor([1.0, 0.0])
    h = judge.closed_form_hessian(spec, x)
    return spec, x, h, float(torch.linalg.eigvalsh(h)[-1])


@pytest.mark.points(1)
@pytest.mark.parametrize("scale, eigenvalue", [(1.0, 5883.42), (0.1, 60.6461)], ids=["raw-t_u", "0.1-t_u"])
def test_temperature_loss(learner, scale, eigenvalue):
    """07_temperature's loss at [1.0, 0.0]: λmax 5883.42 on raw t_u, 60.6461 on 0.1·t_u"""
    spec, x, h, top = TEMPERATURE[scale]
    iters, seed = TEMPERATURE_ITERS, TEMPERATURE_SEED
    known = wrong_answers(judge.matrix_apply(h), (2,), torch.float32, seed, iters)
    check_estimate(learner, spec, x, iters, seed, top, known,
                   extra="H = (2/N)·XᵀX with X = [t_u, 1]: the curvature that makes lr 1e-2 diverge "
                         "on raw t_u")


@pytest.mark.points(1)
@pytest.mark.rule  # a constant answer is right here: it counts once the results are
@pytest.mark.parametrize("iters", [1, 4])
def test_loss_linear_in_params_gives_zero(learner, iters):
    """a loss linear in params (H = 0) gives 0.0 at once, not nan"""
    x = cases.randn(530, 4, dtype=torch.float32)
    inputs = shown(LINEAR, x, iters, 5)
    outcome = learner.call("top_eigenvalue", LINEAR, x, iters, generator(5))
    if outcome.raised is not None and not outcome.raised.is_a("NotImplementedError"):
        checks.fail(f"{CALL} raised {outcome.raised.describe()} for a loss linear in params: H = 0, so "
                    "w = H·v is all zeros; return 0.0 as soon as w = 0 (a linear loss's gradient does not "
                    "require grad: its H·v is zeros, as in hvp)", inputs=inputs, contract=CONTRACT)
    got = number(outcome, inputs)
    if got != 0.0:
        why = ("w = H·v is all zeros here and w/‖w‖ divides by 0: return 0.0 as soon as w = 0"
               if math.isnan(got) else "H = 0 here, so every eigenvalue is 0")
        checks.fail(f"{CALL}: {why}", inputs=inputs, expected=0.0, received=got, contract=CONTRACT)


BIG_X, _ = judge.big_case(540)
BIG_ITERS, BIG_SEED = 3, 42
BIG_EXPECTED = judge.replay(lambda v: judge.chain_hvp(BIG_X, v),
                            judge.start_vector((judge.BIG,), torch.float64, BIG_SEED), BIG_ITERS)


@pytest.mark.points(1)
def test_two_hundred_thousand_parameters(learner):
    """2·10⁵ parameters: fast, with Hessian-vector products only"""
    spec = Scenario("curvature_chain", {})
    inputs = {"loss_fn": "curvature_chain (a chain of 200,000 parameters)", "params": BIG_X,
              "iters": BIG_ITERS, "generator": f"torch.Generator().manual_seed({BIG_SEED})"}
    try:
        outcome = learner.call("top_eigenvalue", spec, BIG_X, BIG_ITERS, generator(BIG_SEED))
    except SeamError as error:
        raise judge.seam_note(error, CALL) from None
    judge.check_big_raised(outcome, CALL, CONTRACT)
    got = number(outcome, inputs)
    if not checks.close(got, BIG_EXPECTED, torch.float64):
        checks.fail(f"{CALL}: not the contract's power iteration on 200,000 parameters", inputs=inputs,
                    expected=BIG_EXPECTED, received=got, contract=CONTRACT)


# ---------------------------------------------------------------- behaviour rules


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("iters", [0, -3])
def test_iters_below_one_raises(learner, iters):
    """ValueError when iters < 1"""
    x = torch.tensor([0.5, -1.0])
    outcome = learner.call("top_eigenvalue", SEED, x, iters, generator(1))
    checks.raises(outcome, "ValueError", call=CALL, inputs=shown(SEED, x, iters, 1), contract=CONTRACT,
                  why="with no iteration there is no estimate")


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_python_float(learner):
    """returns a Python float"""
    x = torch.tensor([0.5, -1.0])
    outcome = learner.call("top_eigenvalue", SEED, x, 10, generator(2))
    seen = outcome.value
    if type(seen) is not float:
        hint = ": use .item() on the 0-d tensor, or float(...)" if isinstance(seen, TensorSeen) else ""
        checks.fail(f"{CALL} should return a Python float; it returned {checks.fmt(seen)}{hint}",
                    inputs=shown(SEED, x, 10, 2), contract=CONTRACT)


UNCHANGED_CASES = [
    pytest.param(torch.float64, False, False, id="float64"),
    pytest.param(torch.float32, True, True, id="float32-requires-grad-with-grad"),
]


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype, requires_grad, with_grad", UNCHANGED_CASES)
def test_params_unchanged(learner, dtype, requires_grad, with_grad):
    """leaves params as it was: values, requires_grad and .grad"""
    x = watched(550, 5, dtype=dtype, requires_grad=requires_grad, with_grad=with_grad, scale=0.8)
    outcome = learner.call("top_eigenvalue", ROSEN, x, 5, generator(6))
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(x, outcome.args[1], name="params", call=CALL, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_written_without_the_library(learner):
    """written without torch.autograd.functional or torch.func"""
    x = cases.randn(560, 6, scale=0.3)
    outcome = learner.call("top_eigenvalue", LOGISTIC, x, 5, generator(7), watch=judge.FORBIDDEN)
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.written_without(learner, judge.FORBIDDEN, outcome, call=CALL, contract=CONTRACT)


# references that depend on constants only, found once at collection
REPLAYS = {(case, dtype): replay_case(case, dtype) for case in REPLAY_CASES for dtype in cases.DTYPES}
SEEDS = {(eigenvalue, dtype): seed_case(spec, dtype)
         for spec, eigenvalue in ((SEED, 3.0), (SEED_NEGATED, -3.0)) for dtype in cases.DTYPES}
CONVERGED = {case: converged(case) for case in CONVERGED_CASES}
TEMPERATURE = {scale: temperature_case(scale) for scale in (1.0, 0.1)}
