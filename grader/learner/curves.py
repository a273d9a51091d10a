"""Loss curves for the training-loop katas: the learner's losses on the seed data against the
reference run's, as a terminal sparkline and a PNG beside the kata, so a divergence or a stalled
loss is seen rather than read. Some katas add a second picture beside it (``grader.learner.pictures``).

A seed run gives ``{"losses": [...], "picture": {...} or None}``, plain numbers. The learner's run
happens in a forked child (``grader.learner.watch.Runner``), which sends it back as JSON; the
reference run comes from running the solutions, in the instructor's checkout, or from
`reference_curves.json`, which `grader release` writes from them (numbers only, not code; null for
a kata whose solution is missing: its reference is unknown).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.learner import pictures
from grader.manifest import PACKAGE_DIR, SOLUTIONS_DIR, Kata

REFERENCE_FILE = PACKAGE_DIR / "reference_curves.json"  # in a released repository: the reference runs
BARS = "▁▂▃▄▅▆▇█"
# the hours-studied data (Wikipedia, "Logistic regression"): hours of 20 students, and who passed
HOURS = [0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00, 3.25, 3.50, 4.00, 4.25,
         4.50, 4.75, 5.00, 5.50]
PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
XOR_POINTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_LABELS = [0, 1, 1, 0]

Picture = dict | None  # a seed run's second picture, as numbers (see grader.learner.pictures)


def _seed_xy(column: bool = False):
    import torch

    X = torch.tensor([1.0, 2.0, 3.0, 4.0])
    if column:
        X = X.reshape(4, 1)
    return X, 2 * X


def _picture_or_none(make: Callable[..., dict], *results: object) -> Picture:
    """The picture of what a kata returned; None when that makes none (its tests say why)."""
    try:
        return make(*results)
    except Exception:  # noqa: BLE001 - a wrong return value is the learner's, not a crash
        return None


def _fit_numpy(module: ModuleType) -> tuple[list[float], Picture]:
    import numpy as np

    X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    return list(module.fit_numpy(X, 2 * X, 0.01, 30)[1]), None


def _fit_autograd(module: ModuleType) -> tuple[list[float], Picture]:
    return list(module.fit_autograd(*_seed_xy(), 0.01, 30)[1]), None


def _fit_optim(module: ModuleType) -> tuple[list[float], Picture]:
    return list(module.fit_optim(*_seed_xy(), 0.01, 30)[1]), None


def _fit_module(module: ModuleType) -> tuple[list[float], Picture]:
    import torch

    torch.manual_seed(0)
    return list(module.fit_module(module.LinearRegression(1, 1), *_seed_xy(column=True), 0.05, 30)), None


def _minibatch(module: ModuleType) -> tuple[list[float], Picture]:
    import torch

    X = torch.stack([torch.arange(1.0, 9.0), torch.ones(8)], dim=1)
    y = X @ torch.tensor([2.0, -1.0])
    return list(module.minibatch_sgd(X, y, 3, 0.01, 30, torch.Generator().manual_seed(0))[1]), None


def _fit_logistic(module: ModuleType) -> tuple[list[float], Picture]:
    import torch

    X, y = torch.tensor(HOURS).reshape(len(HOURS), 1), torch.tensor(PASSED, dtype=torch.float32)
    w, b, losses = module.fit_logistic(X, y, 0.5, 2000)
    return list(losses), _picture_or_none(pictures.sigmoid_fit, HOURS, PASSED, w, b)


def _fit_xor(module: ModuleType) -> tuple[list[float], Picture]:
    import torch
    from torch import nn

    X, y = torch.tensor(XOR_POINTS), torch.tensor(XOR_LABELS, dtype=torch.float32).reshape(-1, 1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    losses = module.fit_xor(model, X, y, 0.5, 500)
    return list(losses), _picture_or_none(pictures.decision_regions, model, XOR_POINTS, XOR_LABELS)


# kata id -> what its seed run is, and how to run it: its losses, one per epoch, and its picture
SEED_RUNS: dict[str, tuple[str, Callable[[ModuleType], tuple[list[float], Picture]]]] = {
    "05_loops/fit_numpy": ("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_numpy),
    "05_loops/fit_autograd": ("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_autograd),
    "05_loops/fit_optim": ("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_optim),
    "05_loops/fit_module": ("LinearRegression(1, 1) seeded 0, lr 0.05, 30 epochs", _fit_module),
    "09_beyond/minibatch": ("8 points on a line, batches of 3, lr 0.01, 30 epochs", _minibatch),
    "10_classification/logistic_fit": ("hours studied as X (20, 1) float32, passed as y, lr 0.5, "
                                       "2000 epochs", _fit_logistic),
    "11_networks/fit_xor": ("XOR, torch.manual_seed(0), Linear(2, 8), ReLU, Linear(8, 1), lr 0.5, "
                            "500 epochs", _fit_xor),
}


@dataclass
class Curve:
    kata_id: str
    setting: str
    losses: list[float] | None  # the learner's; None when the run failed
    reference: list[float] | None
    problem: str = ""
    picture: Picture = None  # the learner's second picture, for the katas that have one
    reference_picture: Picture = None


def curve_from(kata_id: str, data: dict) -> Curve:
    """The curve of a seed run's JSON: the learner's run (or its problem) and the reference run."""
    reference = data.get("reference") or {}
    if isinstance(reference, list):  # an older release's file: the losses alone
        reference = {"losses": reference}
    return Curve(kata_id, SEED_RUNS[kata_id][0], data.get("losses"), reference.get("losses"),
                 data.get("problem", ""), data.get("picture"), reference.get("picture"))


def load_kata(path: Path) -> ModuleType:
    """Import a kata file as its own module, its folder first on the path (as its tests do)."""
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def seed_run(kata_file: Path, kata_id: str) -> dict:
    """Run a kata file on its seed data, in this process: its losses and picture, as numbers. The
    module is forgotten afterwards."""
    saved_path, saved_module = list(sys.path), sys.modules.get(kata_file.stem)
    try:
        losses, picture = SEED_RUNS[kata_id][1](load_kata(kata_file))
        return {"losses": [float(loss) for loss in losses], "picture": picture}
    finally:
        sys.path[:] = saved_path
        if saved_module is None:
            sys.modules.pop(kata_file.stem, None)
        else:
            sys.modules[kata_file.stem] = saved_module


def reference_run(kata_id: str) -> dict | None:
    """In a released repository: the reference's seed run, as `grader release` shipped it."""
    if REFERENCE_FILE.is_file():
        return json.loads(REFERENCE_FILE.read_text()).get(kata_id)
    return None


def sparkline(values: list[float], width: int = 30) -> str:
    """Bars on a log scale (losses fall by orders of magnitude); ✗ for a value that is not finite."""
    if not values:
        return ""
    step = max(1, math.ceil(len(values) / width))
    picked = values[::step]
    finite = [v for v in picked if math.isfinite(v) and v > 0]
    if not finite:
        return "✗" * len(picked)
    low, high = math.log10(min(finite)), math.log10(max(finite))
    span = (high - low) or 1.0
    out = []
    for value in picked:
        if not math.isfinite(value):
            out.append("✗")
        elif value <= 0:
            out.append(BARS[0])
        else:
            out.append(BARS[min(len(BARS) - 1, int((math.log10(value) - low) / span * len(BARS)))])
    return "".join(out)


def plot(curve: Curve, path: Path) -> Path:
    """The two curves on a log scale, and the kata's picture beside them if it has one, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    second = curve.picture is not None or curve.reference_picture is not None
    figure, axes = plt.subplots(1, 1 + second, figsize=(11, 3.8) if second else (6, 3.5), dpi=100,
                                squeeze=False)
    _draw_losses(axes[0][0], curve)
    if second:
        pictures.draw(axes[0][1], curve.picture, curve.reference_picture)
    # the texts we write are plain text, `$` and all; the log axis's own tick labels stay mathtext
    figure.suptitle(f"{curve.kata_id}: {curve.setting}", fontsize=9, parse_math=False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def _draw_losses(axes: Any, curve: Curve) -> None:
    if curve.reference:
        axes.plot(range(len(curve.reference)), curve.reference, label="reference", color="#999999",
                  linewidth=3)
    if curve.losses:
        axes.plot(range(len(curve.losses)), [v if math.isfinite(v) else float("nan") for v in curve.losses],
                  label="yours", color="#d62728")
    axes.set_yscale("log")
    axes.set_xlabel("epoch", parse_math=False)
    axes.set_ylabel("loss", parse_math=False)
    pictures.plain_legend(axes, fontsize=8)


def _rises(losses: list[float]) -> list[int]:
    """The epochs whose loss is clearly above the one before (more than rounding)."""
    return [i for i in range(1, len(losses)) if losses[i] > losses[i - 1] * (1 + 1e-3) + 1e-12]


def compare(curve: Curve) -> str:
    """One line on what the curves show."""
    mine, ref = curve.losses, curve.reference
    if not mine:
        return "your loop returned no losses"
    if any(not math.isfinite(v) for v in mine):
        first = next(i for i, v in enumerate(mine) if not math.isfinite(v))
        return (f"your loss is {mine[first]} at epoch {first}: the loop diverges (check the sign "
                "and size of the update)")
    if ref and len(mine) != len(ref):
        return f"{len(mine)} losses for {len(ref)} epochs: one loss per epoch, before its update"
    if ref and all(math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9) for a, b in zip(mine, ref, strict=True)):
        return "your losses follow the reference run"
    if ref and len(ref) > 2 and all(math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)
                                    for a, b in zip(mine[:-1], ref[1:], strict=True)):
        return "your losses are one epoch ahead: record each epoch's loss before its update"
    # a rise means something only where the reference falls steadily (minibatch losses are noisy)
    rises = _rises(mine) if ref and not _rises(ref) else []
    if mine[-1] >= mine[0] and not (rises and min(mine) < mine[0]):
        return "your loss does not go down: check the sign and size of the update"
    if rises:
        return (f"your loss goes back up at epoch {rises[0]} where the reference keeps falling: "
                "the steps overshoot the minimum (check the size of the update: lr, the 1/N)")
    if ref and mine[-1] > 10 * ref[-1]:
        ends = f"it ends at {mine[-1]:.3g}, the reference at {ref[-1]:.3g}"
        if _rises(mine):
            return f"your loss ends more than 10 times higher than the reference run's: {ends}"
        return f"your loss falls more slowly than the reference run's: {ends}"
    return "your losses differ from the reference run's"


def reference_from_solutions(kata: Kata) -> dict | None:
    """In the instructor's checkout: the solution's seed run (call it in a child); None while the
    kata has no solution."""
    solution = SOLUTIONS_DIR / kata.relative_file
    return seed_run(solution, kata.id) if solution.is_file() else None


def reference_runs(katas: list[Kata]) -> dict[str, dict | None]:
    """What `grader release` ships as reference_curves.json: the solutions' seed runs."""
    return {kata.id: reference_from_solutions(kata) for kata in katas if kata.id in SEED_RUNS}
