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


def test_seed_sizes_and_rows():
    X = torch.arange(60.0).reshape(20, 3)  # row i holds 3i, 3i+1, 3i+2
    y = torch.arange(20.0) * 10
    parts = train_val_split(X, y, 0.375, torch.Generator().manual_seed(13))
    assert isinstance(parts, tuple) and len(parts) == 4, "return the tuple (X_train, y_train, X_val, y_val)"
    X_train, y_train, X_val, y_val = parts
    assert X_val.shape[0] == 7 and X_train.shape[0] == 13, (
        f"20 rows at val_fraction 0.375 give floor(7.5) = 7 validation and 13 training rows, got "
        f"{X_val.shape[0]} and {X_train.shape[0]}"
        + (". round() or ceil() gives 8: use math.floor(val_fraction * N)" if X_val.shape[0] == 8 else "")
        + (". Is that scikit-learn's order (X_train, X_val, ...)? Return (X_train, y_train, X_val, y_val)"
           if y_train.shape == (7, 3) else "")
    )
    want = expected_parts(X, y, 0.375, 13)
    perm = torch.randperm(20, generator=torch.Generator().manual_seed(13))
    if torch.equal(X_val, X[perm[-7:]]):
        pytest.fail("the validation rows are the last 7 of perm; take the first ones: perm[:n_val]")
    for name, got, expected in zip(("X_train", "y_train", "X_val", "y_val"), parts, want, strict=True):
        assert torch.equal(got, expected), (
            f"{name} should be the rows perm[{'n_val:' if 'train' in name else ':n_val'}] of "
            "perm = torch.randperm(N, generator=generator), in that order; got other rows"
        )


def test_pairs_stay_together_for_any_y():
    X = torch.randn(10, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    for y in (torch.arange(10) % 3, torch.randn(10, 2, dtype=torch.float64)):  # int labels, (N, k)
        parts = train_val_split(X, y, 0.29, torch.Generator().manual_seed(8))
        assert [p.shape[0] for p in parts] == [8, 8, 2, 2], (
            f"10 rows at 0.29: 8 training and 2 validation rows (floor(2.9) = 2), got "
            f"{[p.shape[0] for p in parts]}"
        )
        for got, expected in zip(parts, expected_parts(X, y, 0.29, 8), strict=True):
            assert got.dtype == expected.dtype, (
                f"keep the dtype of the inputs ({expected.dtype}), got {got.dtype}"
            )
            assert torch.equal(got, expected), (
                "each y part should hold the rows of y that go with the X part: index X and y with "
                "the same rows of ONE perm (a second torch.randperm for y breaks the pairs)"
            )


def test_generator_drawn_once_and_inputs_unchanged():
    X, y = torch.randn(12, 3), torch.randn(12)
    X_before, y_before = X.clone(), y.clone()
    generator = torch.Generator().manual_seed(21)
    train_val_split(X, y, 0.25, generator)
    replay = torch.Generator().manual_seed(21)
    torch.randperm(12, generator=replay)
    assert torch.equal(generator.get_state(), replay.get_state()), (
        "draw exactly one torch.randperm(N, generator=generator): the generator was drawn from "
        "more (or less, or not at all)"
    )
    assert torch.equal(X, X_before) and torch.equal(y, y_before), "train_val_split must not modify X or y"


@pytest.mark.parametrize("x_rows, y_rows, val_fraction", [
    (6, 5, 0.5),  # y has a different number of rows
    (6, 6, 0.0), (6, 6, 1.0), (6, 6, -0.25), (6, 6, 1.5),  # val_fraction outside (0, 1)
    (3, 3, 0.2),  # floor(0.6) = 0: an empty validation part
])
def test_value_errors(x_rows, y_rows, val_fraction):
    with pytest.raises(ValueError):
        train_val_split(torch.zeros(x_rows, 2), torch.zeros(y_rows), val_fraction,
                        torch.Generator().manual_seed(1))
