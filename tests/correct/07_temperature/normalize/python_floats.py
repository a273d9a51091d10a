# style: torch.std_mean, w and b as Python floats trained with list comprehensions, no_grad predictor
from collections.abc import Callable

import torch


def standardize(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    std, mean = torch.std_mean(t.detach())
    return (t.detach() - mean) / std, mean, std


def fit_temperature(t_u: torch.Tensor, t_c: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    z, mean, std = standardize(t_u)
    zs, cs = z.tolist(), t_c.tolist()
    n = len(zs)
    w = b = 0.0
    for _ in range(500):
        errors = [w * zi + b - ci for zi, ci in zip(zs, cs, strict=True)]
        dw = sum(2 * e * zi for e, zi in zip(errors, zs, strict=True)) / n
        db = sum(2 * e for e in errors) / n
        w, b = w - 0.05 * dw, b - 0.05 * db

    def predict(readings: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return w * (readings - mean) / std + b

    return predict
