"""What a fitted model makes of its data: the fitted sigmoid over the hours-studied data
(10_classification/logistic_fit) and a trained net's decision regions (11_networks/fit_xor)."""

from __future__ import annotations

import math
from typing import Any

from grader.learner.pictures.common import BLUE, GREY, ORANGE, RED, Kind, plain_legend

GRID = 41  # the decision regions are sampled on GRID × GRID points
LOW, HIGH = -0.5, 1.5  # … over [LOW, HIGH]², around the four XOR points


# ---------------------------------------------------------------- the numbers, where the kata ran


def sigmoid_fit(x: list[float], y: list[int], w: Any, b: Any) -> dict:
    """A fit of one weight and a bias over the data (x, y), as numbers."""
    import torch

    weights = torch.as_tensor(w).detach().reshape(-1)
    if weights.numel() != 1:
        raise ValueError(f"one weight for one feature, not {weights.numel()}")
    return {"kind": "sigmoid", "x": list(x), "y": list(y), "w": float(weights[0]),
            "b": float(torch.as_tensor(b).detach().reshape(()))}


def decision_regions(model: Any, points: list[list[float]], labels: list[int]) -> dict:
    """The sign of a trained net's logit on a grid over [LOW, HIGH]² (row i at x₂ = i-th grid
    value, column j at x₁ = j-th; 0 where the logit is 0 or not finite), and its logits at the
    labelled points."""
    import torch

    with torch.no_grad():
        axis = torch.linspace(LOW, HIGH, GRID)
        x2, x1 = torch.meshgrid(axis, axis, indexing="ij")
        logits = model(torch.stack([x1.reshape(-1), x2.reshape(-1)], dim=1)).reshape(GRID, GRID)
        at_points = model(torch.tensor(points)).reshape(-1)
    signs = torch.where(torch.isfinite(logits), torch.sign(logits), torch.zeros_like(logits))
    return {"kind": "regions", "low": LOW, "high": HIGH, "signs": signs.int().tolist(),
            "points": [list(point) for point in points], "labels": list(labels),
            "logits": [float(logit) for logit in at_points]}


# ---------------------------------------------------------------- the line in the terminal


def _formula(picture: dict) -> str:
    w, b = picture["w"], picture["b"]
    if not (math.isfinite(w) and math.isfinite(b)):
        return f"no curve (w = {w}, b = {b})"
    return f"σ({w:.2f}·hours {'−' if b < 0 else '+'} {abs(b):.2f})"


def _sigmoid_summary(mine: dict, reference: dict | None) -> str:
    return f"fit: {_formula(mine)}" + (f"; reference {_formula(reference)}" if reference else "")


def right_points(picture: dict) -> int:
    """How many labelled points the net puts on their side: logit > 0 for 1, < 0 for 0."""
    return sum(1 for logit, label in zip(picture["logits"], picture["labels"], strict=True)
               if (logit > 0 if label else logit < 0))


def _regions_summary(mine: dict, reference: dict | None) -> str:
    return f"XOR: the trained net classifies {right_points(mine)} of {len(mine['labels'])} points right"


# ---------------------------------------------------------------- the panel in the PNG


def _sigmoid_curve(picture: dict, xs: Any) -> Any:
    import numpy as np

    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-(picture["w"] * xs + picture["b"])))


def _draw_sigmoid(axes: Any, mine: dict | None, reference: dict | None) -> None:
    import numpy as np

    data = mine or reference
    xs = np.linspace(min(data["x"]) - 0.5, max(data["x"]) + 0.5, 200)
    if reference:
        axes.plot(xs, _sigmoid_curve(reference, xs), color=GREY, linewidth=3, label="reference")
    if mine and math.isfinite(mine["w"]) and math.isfinite(mine["b"]):
        axes.plot(xs, _sigmoid_curve(mine, xs), color=RED, label="yours")
    axes.scatter(data["x"], data["y"], color=BLUE, zorder=3, label="students (1 = passed)")
    axes.set_ylim(-0.05, 1.05)
    axes.set_xlabel("hours studied", parse_math=False)
    axes.set_ylabel("probability of passing", parse_math=False)
    axes.set_title("the fitted sigmoid σ(w·hours + b)", fontsize=9, parse_math=False)
    plain_legend(axes, fontsize=8, loc="lower right")


def _draw_regions(axes: Any, mine: dict | None, reference: dict | None) -> None:
    import numpy as np
    from matplotlib.colors import ListedColormap

    data = mine or reference
    low, high = data["low"], data["high"]
    if mine:
        axes.imshow(np.array(mine["signs"]), origin="lower", extent=(low, high, low, high), vmin=-1,
                    vmax=1, cmap=ListedColormap(["#c6dbef", "#eeeeee", "#fdd0a2"]))
    points, labels = np.array(data["points"]), np.array(data["labels"])
    for label, marker, colour in ((0, "o", BLUE), (1, "s", ORANGE)):
        chosen = labels == label
        axes.scatter(points[chosen, 0], points[chosen, 1], marker=marker, s=90, color=colour,
                     edgecolors="black", zorder=3, label=f"label {label}")
    axes.set_xlim(low, high)
    axes.set_ylim(low, high)
    axes.set_xlabel("x₁", parse_math=False)
    axes.set_ylabel("x₂", parse_math=False)
    axes.set_title("your net's regions: orange where its logit > 0", fontsize=9, parse_math=False)
    plain_legend(axes, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))


SIGMOID = Kind(_sigmoid_summary, _draw_sigmoid)
REGIONS = Kind(_regions_summary, _draw_regions)
