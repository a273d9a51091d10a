"""Hidden suite for 14_generalization/split."""

import math

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox.codec import Scenario, TensorSeen

CALL = "train_val_split(X, y, val_fraction, generator)"
CONTRACT = ("train_val_split(X, y, val_fraction, generator) -> (X_train, y_train, X_val, y_val): "
            "perm = torch.randperm(N, generator=generator), drawn once; n_val = "
            "math.floor(val_fraction·N); validation rows perm[:n_val], training rows perm[n_val:], "
            "in that order, the same indices for X and y; ValueError for a row mismatch, "
            "val_fraction outside (0, 1) or an empty part; must not modify X or y")
PARTS = ("X_train", "y_train", "X_val", "y_val")
PERM_HINT = ("the parts are not the rows torch.randperm(N, generator=generator) picks: draw that "
             "permutation from the generator passed in, once, before anything else draws from it")


# ---------------------------------------------------------------- the judge's reference


def reference(X, y, fraction: float, seed: int, *, n_val: int | None = None, from_end: bool = False,
              separate: bool = False, sort: bool = False) -> tuple:
    """The four parts as the contract defines them (keywords replay the classic mistakes)."""
    n = X.shape[0]
    generator = torch.Generator().manual_seed(seed)
    n_val = math.floor(fraction * n) if n_val is None else n_val
    perm = torch.randperm(n, generator=generator)
    perm_y = torch.randperm(n, generator=generator) if separate else perm

    def parts(p):
        val, train = (p[n - n_val:], p[:n - n_val]) if from_end else (p[:n_val], p[n_val:])
        return (train.sort().values, val.sort().values) if sort else (train, val)

    (train_x, val_x), (train_y, val_y) = parts(perm), parts(perm_y)
    return X[train_x], y[train_y], X[val_x], y[val_y]


MISTAKES = {
    "the validation rows were taken from the end of the permutation: the contract takes them "
    "from the front, perm[:n_val], and the training rows are perm[n_val:]": {"from_end": True},
    "X and y were shuffled with two different permutations, so the (x, y) pairs are broken: draw "
    "perm once and index both X and y with it": {"separate": True},
    "the rows of each part are sorted: keep them in the order perm gives (perm[:n_val], not its "
    "sorted indices)": {"sort": True},
}


def size_mistake(n: int, fraction: float, got: int) -> str:
    """Why the validation part has ``got`` rows instead of floor(fraction·N)."""
    right = math.floor(fraction * n)
    formulas = {"round(val_fraction·N)": round(fraction * n),
                "math.ceil(val_fraction·N)": math.ceil(fraction * n),
                "N − floor((1 − val_fraction)·N)": n - math.floor((1 - fraction) * n)}
    matching = [name for name, size in formulas.items() if size == got]
    if matching:
        return (f"the validation part has {got} rows, as {' or '.join(matching)} gives: round down "
                f"instead, n_val = math.floor(val_fraction·N) = {right}")
    if got == n - right:
        return (f"the sizes are swapped: the validation part gets floor(val_fraction·N) = {right} "
                f"rows, the training part the other {n - right}")
    return f"the validation part has {got} rows; it should have math.floor(val_fraction·N) = {right}"


# ---------------------------------------------------------------- reading what came back


def read_parts(outcome, inputs) -> list:
    value = outcome.value
    if not isinstance(value, tuple | list) or len(value) != 4:
        checks.fail(f"{CALL} should return four tensors (X_train, y_train, X_val, y_val); it "
                    f"returned {checks.fmt(value)}", inputs=inputs, contract=CONTRACT)
    return list(value)


def same(seen, expected: torch.Tensor) -> bool:
    return (isinstance(seen, TensorSeen) and seen.exact and seen.value.dtype == expected.dtype
            and seen.value.shape == expected.shape and torch.equal(seen.value, expected))


def check_form(seen, expected: torch.Tensor, name: str, details: dict) -> None:
    """Type, dtype, shape and no graph (the values are judged as a whole split)."""
    call = f"{CALL}: {name}"
    if not isinstance(seen, TensorSeen):
        checks.fail(f"{call} should be a torch.Tensor; it is {checks.fmt(seen)}", **details)
    if not seen.exact:
        checks.fail(f"{call} is a {seen.type_name}; return plain torch.Tensors", **details)
    if seen.value.dtype != expected.dtype:
        checks.fail(f"{call} has dtype {cases.dtype_id(seen.value.dtype)}; it should keep the "
                    f"input's dtype, {cases.dtype_id(expected.dtype)}: index the rows, convert nothing",
                    **details)
    if seen.value.shape != expected.shape:
        checks.fail(f"{call} has shape {tuple(seen.value.shape)}; expected {tuple(expected.shape)}",
                    **details)
    checks.no_graph(seen, call=call, contract=CONTRACT)


def rows_of(part: torch.Tensor, X: torch.Tensor) -> list[int | None]:
    """Which row of X each row of part is (X's rows are distinct), None for a row not in X."""
    flat, table = part.reshape(part.shape[0], -1), X.reshape(X.shape[0], -1)
    found = []
    for row in flat:
        hits = (table == row).all(dim=1).nonzero().reshape(-1).tolist()
        found.append(hits[0] if hits else None)
    return found


def check_split(outcome, X, y, fraction: float, seed: int, expected: tuple) -> None:
    """The parts as perm from the generator makes them (``expected``, the reference computed at
    collection): named mistakes first, then part by part."""
    inputs = {"X": X, "y": y, "val_fraction": fraction,
              "generator": f"torch.Generator().manual_seed({seed})"}
    parts = read_parts(outcome, inputs)
    if all(same(p, e) for p, e in zip(parts, expected, strict=True)):
        return
    details = {"inputs": inputs, "contract": CONTRACT}
    if all(same(p, e) for p, e in zip(parts, (expected[0], expected[2], expected[1], expected[3]),
                                       strict=True)):
        checks.fail(f"{CALL} returned (X_train, X_val, y_train, y_val), scikit-learn's order; the "
                    "contract's order is (X_train, y_train, X_val, y_val)", **details)
    n, right = X.shape[0], math.floor(fraction * X.shape[0])
    if isinstance(parts[2], TensorSeen) and parts[2].value.dim() and parts[2].value.shape[0] != right:
        got = parts[2].value.shape[0]
        checks.fail(f"{CALL}: {size_mistake(n, fraction, got)}",
                    expected=f"{n - right} training rows, {right} validation rows",
                    received=f"{got} validation rows", **details)
    for label, keywords in MISTAKES.items():
        if all(same(p, e) for p, e in zip(parts, reference(X, y, fraction, seed, **keywords), strict=True)):
            checks.fail(f"{CALL}: {label}", **details)
    for name, part, want in zip(PARTS, parts, expected, strict=True):
        check_form(part, want, name, details)
    train_rows, val_rows = rows_of(parts[0].value, X), rows_of(parts[2].value, X)
    if None in train_rows + val_rows or sorted(train_rows + val_rows) != list(range(n)):
        checks.fail(f"{CALL}: the two parts do not hold every row of X exactly once: index X with "
                    "perm[n_val:] and perm[:n_val]", **details)
    for rows, part_x, part_y in ((train_rows, "X_train", parts[1]), (val_rows, "X_val", parts[3])):
        if not torch.equal(part_y.value, y[rows]):
            checks.fail(f"{CALL}: the (x, y) pairs are broken: row i of {part_x} must come with row i "
                        "of the matching y part; index X and y with the same rows of one perm",
                        **details)
    checks.fail(f"{CALL}: {PERM_HINT}", expected=expected[2], received=parts[2].value,
                extra="shown: X_val", **details)


def data(seed: int, n: int, tail: tuple[int, ...], dtype: torch.dtype, y_kind: str):
    """X with distinct rows; y of shape (N,), (N, k) or int64 labels (N,)."""
    X = cases.randn(seed, n, *tail, dtype=dtype)
    if y_kind == "vector":
        y = cases.randn(seed + 1, n, dtype=dtype)
    elif y_kind == "labels":
        y = torch.arange(n, dtype=torch.int64) % 3
    else:
        y = cases.randn(seed + 1, n, 2, dtype=dtype)
    return X, y


def split_case(data_args: tuple, fraction: float, seed: int) -> tuple:
    """(X, y, fraction, generator seed, the reference parts), computed once at collection."""
    X, y = data(*data_args)
    return X, y, fraction, seed, reference(X, y, fraction, seed)


def split_and_check(learner, case: tuple) -> None:
    X, y, fraction, seed, _ = case
    outcome = learner.call("train_val_split", X, y, fraction, Scenario("torch_generator", {"seed": seed}))
    check_split(outcome, *case)


# ---------------------------------------------------------------- the seed's numbers


SEED_SIZES = [(20, 0.375, 13, 7), (10, 0.29, 8, 2)]  # N, val_fraction, and the sizes published


@pytest.mark.points(1)
@pytest.mark.parametrize("case", [split_case((10 + n, n, (3,), torch.float32, "matrix"), fraction, 13)
                                  for n, fraction, _, _ in SEED_SIZES],
                         ids=["20-rows-0.375", "10-rows-0.29"])
def test_seed_sizes(learner, case):
    """seed: 20 rows at 0.375 give 13 / 7, 10 rows at 0.29 give 8 / 2"""
    split_and_check(learner, case)


# ---------------------------------------------------------------- the split itself


# data (seed, N, X's trailing shape, dtype, y's kind), val_fraction, the generator's seed (100 + seed)
SPLITS = [
    pytest.param(split_case((30, 12, (4,), torch.float32, "vector"), 0.25, 130), id="float32-y-vector"),
    pytest.param(split_case((31, 15, (2,), torch.float64, "matrix"), 0.4, 131), id="float64-y-matrix"),
    pytest.param(split_case((32, 11, (3,), torch.float32, "labels"), 0.5, 132), id="int64-labels"),
    pytest.param(split_case((33, 10, (2, 3), torch.float64, "vector"), 0.3, 133), id="X-3d-0.3"),
    pytest.param(split_case((34, 7, (2,), torch.float64, "matrix"), 0.9, 134), id="large-fraction"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("case", SPLITS)
def test_rows_follow_randperm(learner, case):
    """the parts are perm[n_val:] and perm[:n_val] of torch.randperm(N, generator=generator)"""
    split_and_check(learner, case)


SAME_GENERATOR = [split_case((40, 16, (2,), torch.float32, "matrix"), 0.25, seed) for seed in (8, 8, 9)]


@pytest.mark.points(1)
def test_same_generator_same_split(learner):
    """two generators with the same seed give the same split; another seed gives another"""
    for case in SAME_GENERATOR:
        split_and_check(learner, case)


# ---------------------------------------------------------------- rules


def generator_states(seed: int, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A generator's state before and after one torch.randperm(n) from it."""
    mine = torch.Generator().manual_seed(seed)
    fresh = mine.get_state()
    torch.randperm(n, generator=mine)
    return fresh, mine.get_state()


DRAWN_ONCE = data(50, 12, (3,), torch.float32, "vector"), generator_states(21, 12)


@pytest.mark.points(1)
@pytest.mark.rule
def test_generator_drawn_once(learner):
    """draws exactly one permutation from the generator"""
    (X, y), (fresh, drawn) = DRAWN_ONCE
    outcome = learner.call("train_val_split", X, y, 0.25, Scenario("torch_generator", {"seed": 21}))
    outcome.value  # noqa: B018 - surfaces an exception
    # the generator the call was given, read back through its argument: the same object
    state = learner.make(Scenario("t14_generator_state", {"generator": outcome.args[3]}))
    if isinstance(state, TensorSeen) and torch.equal(state.value, drawn):
        return
    if isinstance(state, TensorSeen) and torch.equal(state.value, fresh):
        checks.fail(f"{CALL} never drew from the generator it was given: shuffle with "
                    "torch.randperm(N, generator=generator)", contract=CONTRACT)
    checks.fail(f"{CALL} drew more from the generator than one torch.randperm(N): draw perm "
                "once and use it for both X and y", contract=CONTRACT)


BAD_CALLS = [
    pytest.param((6, 2), (5,), 0.5, "y has 5 rows but X has 6", id="rows-differ"),
    pytest.param((6, 2), (6,), 0.0, "val_fraction 0 is not in (0, 1)", id="fraction-0"),
    pytest.param((6, 2), (6,), 1.0, "val_fraction 1 is not in (0, 1)", id="fraction-1"),
    pytest.param((6, 2), (6,), -0.25, "val_fraction −0.25 is not in (0, 1)", id="fraction-negative"),
    pytest.param((6, 2), (6,), 1.5, "val_fraction 1.5 is not in (0, 1)", id="fraction-above-1"),
    pytest.param((3, 2), (3,), 0.2, "floor(0.2·3) = 0: the validation part would be empty",
                 id="empty-validation"),
    pytest.param((1, 2), (1,), 0.5, "one row cannot be split in two parts", id="one-row"),
]


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("x_shape, y_shape, fraction, why", BAD_CALLS)
def test_value_errors(learner, x_shape, y_shape, fraction, why):
    """ValueError for a row mismatch, val_fraction outside (0, 1), or an empty part"""
    X, y = torch.zeros(x_shape), torch.zeros(y_shape)
    outcome = learner.call("train_val_split", X, y, fraction, Scenario("torch_generator", {"seed": 1}))
    checks.raises(outcome, "ValueError", call=CALL, contract=CONTRACT, why=why,
                  inputs=f"X of shape {x_shape}, y of shape {y_shape}, val_fraction {fraction}")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    X, y = data(60, 10, (3,), torch.float32, "matrix")
    outcome = learner.call("train_val_split", X, y, 0.3, Scenario("torch_generator", {"seed": 2}))
    outcome.value  # noqa: B018 - surfaces an exception first
    checks.unchanged(X, outcome.args[0], name="X", call="train_val_split", contract=CONTRACT)
    checks.unchanged(y, outcome.args[1], name="y", call="train_val_split", contract=CONTRACT)
