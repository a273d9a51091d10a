"""Public tests for 14_generalization/split.

Run them with: pytest exercises/14_generalization/test_split.py
"""

import math

import pytest
import torch
from split import train_val_split


def expected_parts(X, y, val_fraction, seed):
    """What the contract asks for, with the same seed: perm from a fresh generator."""
    perm = torch.randperm(X.shape[0], generator=torch.Generator().manual_seed(seed))
    n_val = math.floor(val_fraction * X.shape[0])
    return X[perm[n_val:]], y[perm[n_val:]], X[perm[:n_val]], y[perm[:n_val]]


def size_mistake(n, val_fraction, got):
    """Why the validation part has `got` rows instead of floor(val_fraction * N), if we know."""
    right = math.floor(val_fraction * n)
    formulas = [name for name, size in (("round(val_fraction * N)", round(val_fraction * n)),
                                        ("math.ceil(val_fraction * N)", math.ceil(val_fraction * n)))
                if size == got != right]
    if formulas:
        return (f". The validation part has {got} rows, as {' or '.join(formulas)} gives: round down "
                f"instead, n_val = math.floor(val_fraction * N) = {right}")
    return ""


def named_mistake(parts, X, y, val_fraction, seed, global_state):
    """Which classic slip gives these parts, if any (global_state: the global generator's state
    just before the call)."""
    n = X.shape[0]
    n_val = math.floor(val_fraction * n)
    generator = torch.Generator().manual_seed(seed)
    perm, second = torch.randperm(n, generator=generator), torch.randperm(n, generator=generator)
    global_generator = torch.Generator()
    global_generator.set_state(global_state)
    global_perm = torch.randperm(n, generator=global_generator)
    distinct_y = torch.unique(y.reshape(n, -1), dim=0).shape[0] == n  # else y cannot tell perms apart

    def split_by(p, p_y=None, from_end=False, sort=False):
        def cut(q):
            val, train = (q[n - n_val:], q[:n - n_val]) if from_end else (q[:n_val], q[n_val:])
            return (train.sort().values, val.sort().values) if sort else (train, val)
        (train, val), (train_y, val_y) = cut(p), cut(perm if p_y is None else p_y)
        return X[train], y[train_y], X[val], y[val_y]

    for wrong, why in [
        (split_by(perm, from_end=True), "The validation rows were taken from the end of the "
         "permutation: take them from the front, perm[:n_val], and train on perm[n_val:]"),
        (split_by(perm, second) if distinct_y else (), "X and y were shuffled with two different "
         "permutations, so the (x, y) pairs are broken: draw perm once and index both X and y with it"),
        (split_by(perm, sort=True), "The rows of each part are sorted: keep them in the order perm "
         "gives (perm[:n_val], not its sorted indices)"),
        (split_by(global_perm, global_perm), "These rows come from the global random generator "
         "(torch.randperm(N) without generator=): draw perm from the generator passed in"),
    ]:
        if len(wrong) == 4 and all(isinstance(p, torch.Tensor) and torch.equal(p, w)
                                   for p, w in zip(parts, wrong, strict=True)):
            return " " + why
    return ""


def test_seed_sizes_and_rows():
    X = torch.arange(60.0).reshape(20, 3)  # row i holds 3i, 3i+1, 3i+2
    y = torch.arange(20.0) * 10
    global_state = torch.get_rng_state()
    parts = train_val_split(X, y, 0.375, torch.Generator().manual_seed(13))
    assert isinstance(parts, tuple) and len(parts) == 4, "return the tuple (X_train, y_train, X_val, y_val)"
    X_train, y_train, X_val, y_val = parts
    assert X_val.shape[0] == 7 and X_train.shape[0] == 13, (
        f"20 rows at val_fraction 0.375 give floor(7.5) = 7 validation and 13 training rows, got "
        f"{X_val.shape[0]} and {X_train.shape[0]}"
        + size_mistake(20, 0.375, X_val.shape[0])
        + (". Is that scikit-learn's order (X_train, X_val, ...)? Return (X_train, y_train, X_val, y_val)"
           if y_train.shape == (7, 3) else "")
    )
    want = expected_parts(X, y, 0.375, 13)
    for name, got, expected in zip(("X_train", "y_train", "X_val", "y_val"), parts, want, strict=True):
        assert torch.equal(got, expected), (
            f"{name} should be the rows perm[{'n_val:' if 'train' in name else ':n_val'}] of "
            "perm = torch.randperm(N, generator=generator), in that order; got other rows."
            + named_mistake(parts, X, y, 0.375, 13, global_state)
        )


def test_pairs_stay_together_for_any_y():
    X = torch.randn(10, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    for y in (torch.arange(10) % 3, torch.randn(10, 2, dtype=torch.float64)):  # int labels, (N, k)
        global_state = torch.get_rng_state()
        parts = train_val_split(X, y, 0.29, torch.Generator().manual_seed(8))
        assert [p.shape[0] for p in parts] == [8, 8, 2, 2], (
            f"10 rows at 0.29: 8 training and 2 validation rows (floor(2.9) = 2), got "
            f"{[p.shape[0] for p in parts]}" + size_mistake(10, 0.29, parts[2].shape[0])
        )
        for got, expected in zip(parts, expected_parts(X, y, 0.29, 8), strict=True):
            assert got.dtype == expected.dtype, (
                f"keep the dtype of the inputs ({expected.dtype}), got {got.dtype}"
            )
            assert torch.equal(got, expected), (
                "each part should hold the rows perm[n_val:] (training) and perm[:n_val] (validation) "
                "of ONE perm = torch.randperm(N, generator=generator), the same rows for X and y."
                + named_mistake(parts, X, y, 0.29, 8, global_state)
            )


def test_generator_drawn_once_and_inputs_unchanged():
    X, y = torch.randn(12, 3), torch.randn(12)
    X_before, y_before = X.clone(), y.clone()
    generator = torch.Generator().manual_seed(21)
    train_val_split(X, y, 0.25, generator)
    replay = torch.Generator().manual_seed(21)
    torch.randperm(12, generator=replay)
    untouched = torch.Generator().manual_seed(21).get_state()
    assert not torch.equal(generator.get_state(), untouched), (
        "train_val_split never drew from the generator it was given: shuffle with "
        "torch.randperm(N, generator=generator), from the generator passed in"
    )
    assert torch.equal(generator.get_state(), replay.get_state()), (
        "draw exactly one torch.randperm(N, generator=generator): the generator was drawn from "
        "more (or less) than that"
    )
    assert torch.equal(X, X_before) and torch.equal(y, y_before), "train_val_split must not modify X or y"


@pytest.mark.parametrize("x_rows, y_rows, val_fraction, why", [
    (6, 5, 0.5, "a y of 5 rows with an X of 6"),
    (6, 6, 0.0, "val_fraction = 0, outside (0, 1)"), (6, 6, 1.0, "val_fraction = 1, outside (0, 1)"),
    (6, 6, -0.25, "val_fraction = -0.25, outside (0, 1)"), (6, 6, 1.5, "val_fraction = 1.5, outside (0, 1)"),
    (3, 3, 0.2, "3 rows at 0.2: floor(0.6) = 0 leaves the validation part empty"),
])
def test_value_errors(x_rows, y_rows, val_fraction, why):
    try:
        result = train_val_split(torch.zeros(x_rows, 2), torch.zeros(y_rows), val_fraction,
                                 torch.Generator().manual_seed(1))
    except ValueError:
        return
    if isinstance(result, tuple) and all(isinstance(part, torch.Tensor) for part in result):
        result = f"parts of {[part.shape[0] for part in result]} rows"
    pytest.fail(f"train_val_split should raise ValueError for {why}; it returned {result}")
