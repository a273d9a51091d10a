"""Seeded inputs for hidden suites: the same numbers on every machine, every run."""

from __future__ import annotations

import pytest
import torch

DTYPES = (torch.float32, torch.float64)


def randn(seed: int, *shape: int, dtype: torch.dtype = torch.float64, scale: float = 1.0,
          shift: float = 0.0) -> torch.Tensor:
    """Seeded normal values of any shape; no shape gives a 0-d tensor."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=generator, dtype=torch.float64) * scale + shift).to(dtype)


def uniform(seed: int, *shape: int, low: float = -1.0, high: float = 1.0,
            dtype: torch.dtype = torch.float64) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    values = torch.rand(shape, generator=generator, dtype=torch.float64)
    return (low + (high - low) * values).to(dtype)


def dtype_id(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def dtype_and_shape(shapes: list[tuple[int, ...]]) -> list:
    """pytest params (dtype, shape) for every dtype and each shape, with ids like float32-5x3 (0d)."""
    return [pytest.param(dtype, shape, id=f"{dtype_id(dtype)}-{'x'.join(map(str, shape)) or '0d'}")
            for dtype in DTYPES for shape in shapes]
