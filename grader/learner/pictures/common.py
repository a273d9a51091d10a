"""What every picture shares: how a kind is read and drawn, the colours, and text that stays text."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BLUE, ORANGE, GREEN, GREY, RED = "#1f77b4", "#ff7f0e", "#2ca02c", "#999999", "#d62728"


@dataclass(frozen=True)
class Kind:
    """A kind of picture: its one-line summary and its drawing, both from the numbers alone (the
    learner's picture, and the reference's or None when it is unknown)."""

    summary: Callable[[dict, dict | None], str]
    draw: Callable[[Any, dict | None, dict | None], None]
    beside: bool = True  # a panel of its own beside the losses; False: drawn over the loss panel


def plain_legend(axes: Any, **where: Any) -> None:
    """A legend whose texts are plain text, `$` and all."""
    for text in axes.legend(**where).get_texts():
        text.set_parse_math(False)


def finite(values: list[float]) -> list[float]:
    """The values to plot: nan (a gap) for one that is not finite."""
    return [value if math.isfinite(value) else float("nan") for value in values]


def number(value: float) -> str:
    """A number as the contracts write it: 6 significant digits, a small one as 3.39938e-4."""
    if math.isfinite(value) and 0 < abs(value) < 1e-3:
        mantissa, exponent = f"{value:.5e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return f"{value:.6g}"
