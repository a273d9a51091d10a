"""Adam's path against SGD's and momentum's (12_optimizers/adam): the three from the same start on
one ill-conditioned bowl, ½(a·x² + b·y²), drawn over its contours. SGD's learning rate is held down
by the steep direction and crawls along the shallow one; Adam scales each coordinate's step."""

from __future__ import annotations

import math
from typing import Any

from grader.learner.pictures.common import BLUE, GREEN, GREY, RED, Kind, plain_legend

TOLERANCE, WITHIN = 1e-3, "1e-3"  # "reaches the minimum": a loss within this of the minimum, 0
NAMES = {"adam": "your Adam", "sgd": "SGD", "momentum": "momentum"}  # the paths, in drawing order


def bowl_loss(bowl: list[float], point: list[float]) -> float:
    """½(a·x² + b·y²) at point (x, y), for bowl (a, b)."""
    (a, b), (x, y) = bowl, point
    return 0.5 * (a * x * x + b * y * y)


def paths(bowl: tuple[float, float], runs: dict[str, list[list[float]]]) -> dict:
    """The bowl and each optimizer's path on it (the points from the start, one per step), as numbers."""
    return {"kind": "paths", "bowl": [float(c) for c in bowl],
            "paths": {name: [[float(x), float(y)] for x, y in runs[name]] for name in NAMES}}


def steps_to_reach(picture: dict, name: str) -> int | None:
    """The first step after which the path's loss is within TOLERANCE of the minimum; None if never."""
    return next((step for step, point in enumerate(picture["paths"][name])
                 if bowl_loss(picture["bowl"], point) <= TOLERANCE), None)  # nan is never within


def _reached(picture: dict, name: str) -> str:
    steps = steps_to_reach(picture, name)
    return f"in {steps}" if steps is not None else f"not in {len(picture['paths'][name]) - 1}"


def _summary(mine: dict, reference: dict | None) -> str:
    said = (f"your Adam reaches {WITHIN} of the minimum {_reached(mine, 'adam')} steps, "
            f"SGD {_reached(mine, 'sgd')}, momentum {_reached(mine, 'momentum')}")
    return said + (f" (the reference Adam {_reached(reference, 'adam')})" if reference else "")


def _view(picture: dict) -> tuple[float, float, float, float]:
    """x and y limits around the judge's own paths (SGD's and momentum's), padded: a path of the
    learner's that runs off leaves the view."""
    points = [point for name in ("sgd", "momentum") for point in picture["paths"][name]
              if all(math.isfinite(c) for c in point)]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    pad_x, pad_y = 0.1 * (max(xs) - min(xs)) or 1.0, 0.15 * (max(ys) - min(ys)) or 1.0
    return min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y


def _draw(axes: Any, mine: dict | None, reference: dict | None) -> None:
    import numpy as np

    data = mine or reference
    left, right, bottom, top = _view(data)
    x, y = np.meshgrid(np.linspace(left, right, 200), np.linspace(bottom, top, 120))
    start = data["paths"]["sgd"][0]
    levels = bowl_loss(data["bowl"], start) * np.linspace(0.1, 1.5, 12) ** 2
    axes.contour(x, y, bowl_loss(data["bowl"], [x, y]), levels=levels, colors="#cccccc", linewidths=0.8)
    if reference:
        path = np.array(reference["paths"]["adam"])
        axes.plot(path[:, 0], path[:, 1], color=GREY, linewidth=4, label="reference Adam")
    for name, colour in zip(NAMES, (RED, BLUE, GREEN), strict=True):
        if mine:
            path = np.array(mine["paths"][name])
            axes.plot(path[:, 0], path[:, 1], color=colour, marker="o", markersize=2, linewidth=1,
                      label=NAMES[name])
    axes.scatter([start[0]], [start[1]], color="black", zorder=3, label="start")
    axes.scatter([0.0], [0.0], color="black", marker="*", s=90, zorder=3, label="minimum")
    axes.set_xlim(left, right)
    axes.set_ylim(bottom, top)
    axes.set_xlabel("x", parse_math=False)
    axes.set_ylabel("y", parse_math=False)
    a, b = ("" if c == 1 else f"{c:g}·" for c in data["bowl"])
    axes.set_title(f"paths on the loss ½({a}x² + {b}y²)", fontsize=9, parse_math=False)
    plain_legend(axes, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))


PATHS = Kind(_summary, _draw)
