"""Either side of the critical learning rate (13_curvature/critical_lr): gradient descent on the
temperature fit at 0.9 × and at 1.1 × the learner's critical lr. The lower run is the kata's loss
curve; this picture adds the upper one over the same panel, dashed, so the two are read together:
one converges and the other diverges exactly when the critical lr is 2/λmax."""

from __future__ import annotations

import math
from typing import Any

from grader.learner.pictures.common import GREY, RED, Kind, finite, number, plain_legend

BELOW, ABOVE = 0.9, 1.1  # the two runs' learning rates, as multiples of the critical lr


def either_side(lr: float, below: list[float], above: list[float]) -> dict:
    """The critical lr and the losses of the runs at BELOW × and at ABOVE × it, as numbers."""
    return {"kind": "either_side", "lr": float(lr), "below": [float(loss) for loss in below],
            "above": [float(loss) for loss in above]}


def fate(losses: list[float]) -> str:
    """What a run did: it diverges (a loss not finite, or it ends above where it began), converges
    (it ends below), or does not move."""
    if not all(math.isfinite(loss) for loss in losses) or losses[-1] > losses[0]:
        return "diverges"
    return "converges" if losses[-1] < losses[0] else "does not move"


def _summary(mine: dict, reference: dict | None) -> str:
    lr, below, above = mine["lr"], fate(mine["below"]), fate(mine["above"])
    if not (math.isfinite(lr) and lr > 0):
        said = (f"your critical lr is {number(lr)}: GD {below} at {BELOW} × it and {above} at "
                f"{ABOVE} × it, where 2/λmax is a positive number here")
    elif (below, above) == ("converges", "diverges"):
        said = (f"GD at {BELOW} × your critical lr converges, at {ABOVE} × it diverges: your "
                f"{number(lr)} is right where they part")
    elif below == above == "converges":
        said = (f"GD converges at {BELOW} × and at {ABOVE} × your critical lr {number(lr)}: it "
                "survives larger steps, so 2/λmax, with λmax the largest eigenvalue of H, is larger")
    elif below == above == "diverges":
        said = (f"GD diverges at {ABOVE} × and already at {BELOW} × your critical lr {number(lr)}: "
                "2/λmax, with λmax the largest eigenvalue of H, is smaller")
    else:
        said = f"GD {below} at {BELOW} × your critical lr {number(lr)} and {above} at {ABOVE} × it"
    if reference and not math.isclose(lr, reference["lr"], rel_tol=1e-5):
        said += f"; the reference's is {number(reference['lr'])}"
    return said


def _draw(axes: Any, mine: dict | None, reference: dict | None) -> None:
    """Over the loss panel (the runs at BELOW ×): the runs at ABOVE ×, dashed."""
    if reference:
        axes.plot(range(len(reference["above"])), finite(reference["above"]), color=GREY, linewidth=3,
                  linestyle="--", label=f"reference at {ABOVE} ×")
    if mine:
        axes.plot(range(len(mine["above"])), finite(mine["above"]), color=RED, linestyle="--",
                  label=f"yours at {ABOVE} ×")
    axes.set_title(f"GD at lr = {BELOW} × your critical lr (solid) and {ABOVE} × (dashed)", fontsize=9,
                   parse_math=False)
    plain_legend(axes, fontsize=8)


EITHER_SIDE = Kind(_summary, _draw, beside=False)
