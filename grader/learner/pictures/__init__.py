"""The picture a seed run adds to its loss curve, for the katas whose result is seen before it is
read: the fitted sigmoid over the data (10_classification/logistic_fit), a trained net's decision
regions (11_networks/fit_xor), Adam's path against SGD's and momentum's (12_optimizers/adam),
gradient descent either side of the critical learning rate (13_curvature/critical_lr), and the
training and validation losses of early stopping (14_generalization/early_stopping). One module per
family makes each kind's numbers, its summary and its drawing.

A picture is made as plain numbers (a dict with a "kind") where the kata runs: in a forked child
for the learner's file, or from the solutions for `grader release`, which ships it in
`reference_curves.json`. The terminal's one-line summary and the PNG's panel are drawn from those
numbers alone: a panel of its own beside the loss curves, or for some kinds more curves over them.
"""

from __future__ import annotations

from typing import Any

from grader.learner.pictures import curvature, fits, optimizers, stopping
from grader.learner.pictures.common import Kind, plain_legend
from grader.learner.pictures.curvature import either_side
from grader.learner.pictures.fits import GRID, decision_regions, right_points, sigmoid_fit
from grader.learner.pictures.optimizers import paths
from grader.learner.pictures.stopping import early_stopping

__all__ = ["GRID", "KINDS", "decision_regions", "draw", "early_stopping", "either_side", "has_panel", "paths",
           "plain_legend", "right_points", "sigmoid_fit", "summary"]

KINDS: dict[str, Kind] = {"sigmoid": fits.SIGMOID, "regions": fits.REGIONS, "paths": optimizers.PATHS,
                          "either_side": curvature.EITHER_SIDE, "stopping": stopping.STOPPING}


def summary(mine: dict | None, reference: dict | None) -> str | None:
    """One line on the picture; None for a kata without one."""
    if mine is None:
        return None if reference is None else "nothing to draw from what your function returned"
    return KINDS[mine["kind"]].summary(mine, reference)


def has_panel(mine: dict | None, reference: dict | None) -> bool:
    """Whether the picture takes a panel of its own beside the loss curves (False: it has none, or
    it is drawn over them)."""
    picture = mine or reference
    return picture is not None and KINDS[picture["kind"]].beside


def draw(axes: Any, mine: dict | None, reference: dict | None) -> None:
    """The picture on ``axes`` (its own panel, or the loss panel), the learner's in colour over the
    reference's in grey."""
    KINDS[(mine or reference)["kind"]].draw(axes, mine, reference)
