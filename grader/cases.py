"""Seeded inputs for hidden suites: the same numbers on every machine, every run."""

from __future__ import annotations

import torch

DTYPES = (torch.float32, torch.float64)


def randn(seed: int, *shape: int, dtype: torch.dtype = torch.float64, scale: float = 1.0,
          shift: float = 0.0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=generator, dtype=torch.float64) * scale + shift).to(dtype)


def uniform(seed: int, *shape: int, low: float = -1.0, high: float = 1.0,
            dtype: torch.dtype = torch.float64) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    values = torch.rand(shape, generator=generator, dtype=torch.float64)
    return (low + (high - low) * values).to(dtype)


def dtype_id(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")
