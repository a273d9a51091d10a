"""Early stopping (14_generalization/early_stopping): the training and validation losses of a small
model that overfits, epoch by epoch as the learner's function ran it, the epoch it kept marked, and
the validation loss of the model it left behind (the best epoch's, if the best weights came back)."""

from __future__ import annotations

import math
import operator
from typing import Any

from grader.learner.pictures.common import BLUE, GREY, RED, Kind, finite, plain_legend


def early_stopping(train: list[float], val: list[float], best_epoch: Any, restored: float) -> dict:
    """The losses each call of train_epoch and val_loss gave, the best epoch the learner's function
    returned (an integer), and the validation loss of the model afterwards, as numbers."""
    return {"kind": "stopping", "train": [float(loss) for loss in train],
            "val": [float(loss) for loss in val], "best_epoch": operator.index(best_epoch),
            "restored": float(restored)}


def lowest_epoch(val: list[float]) -> int | None:
    """The first epoch with the lowest validation loss (nan is never lowest); None if none is a number."""
    numbers = [epoch for epoch, loss in enumerate(val) if not math.isnan(loss)]
    return min(numbers, key=lambda epoch: val[epoch]) if numbers else None


def _what_it_kept(mine: dict) -> str:
    """What the best epoch and the model left behind say, once the run is told."""
    val, best = mine["val"], mine["best_epoch"]
    if not 0 <= best < len(val):
        return f", but only epochs 0 to {len(val) - 1} ran"
    said = f" (validation loss {val[best]:.4g})"
    lowest = lowest_epoch(val)
    if lowest is not None and val[lowest] < val[best]:
        return said + f", but epoch {lowest}'s was lower ({val[lowest]:.4g})"
    if not math.isclose(mine["restored"], val[best], rel_tol=1e-6, abs_tol=1e-12):
        said += (f"; the model ends with validation loss {mine['restored']:.4g}, not the best epoch's: "
                 "it should hold a copy of the best epoch's weights, loaded back")
    return said


def _summary(mine: dict, reference: dict | None) -> str:
    if not mine["val"]:
        return "your function ran no epoch: val_loss was never called"
    said = f"stopped after epoch {len(mine['val']) - 1}, best epoch {mine['best_epoch']}{_what_it_kept(mine)}"
    if reference and reference["val"]:
        said += (f"; the reference stopped after epoch {len(reference['val']) - 1}, best epoch "
                 f"{reference['best_epoch']}")
    return said


def _draw(axes: Any, mine: dict | None, reference: dict | None) -> None:
    if reference:
        axes.plot(range(len(reference["val"])), finite(reference["val"]), color=GREY, linewidth=3,
                  label="reference validation")
        axes.axvline(reference["best_epoch"], color=GREY, linewidth=3, alpha=0.5)
    if mine:
        axes.plot(range(len(mine["train"])), finite(mine["train"]), color=BLUE, label="training loss")
        axes.plot(range(len(mine["val"])), finite(mine["val"]), color=RED, label="validation loss")
        axes.axvline(mine["best_epoch"], color="black", linestyle="--", linewidth=1,
                     label=f"best epoch {mine['best_epoch']}")
        if mine["val"] and math.isfinite(mine["restored"]) and mine["restored"] > 0:
            axes.scatter([len(mine["val"]) - 1], [mine["restored"]], color=RED, marker="*", s=90, zorder=3,
                         label="the model it left")
    axes.set_yscale("log")
    axes.set_xlabel("epoch", parse_math=False)
    axes.set_ylabel("loss", parse_math=False)
    axes.set_title("training and validation loss, and the epoch kept", fontsize=9, parse_math=False)
    plain_legend(axes, fontsize=8, loc="upper right")


STOPPING = Kind(_summary, _draw)
