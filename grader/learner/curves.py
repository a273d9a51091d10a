"""Loss curves for the training-loop katas: the learner's losses on the seed data against the
reference run's, as a terminal sparkline and a PNG beside the kata, so a divergence or a stalled
loss is seen rather than read.

The learner's run happens in a forked child (``grader.learner.watch.Runner``); the reference losses come
from running the solutions, in the instructor's checkout, or from `reference_curves.json`, which
`grader release` writes from them (numbers only: the seed data's losses, not code).
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

from grader.manifest import PACKAGE_DIR, SOLUTIONS_DIR, Kata

REFERENCE_FILE = PACKAGE_DIR / "reference_curves.json"  # in a released repository: the reference runs
BARS = "▁▂▃▄▅▆▇█"


def _seed_xy(column: bool = False):
    import torch

    X = torch.tensor([1.0, 2.0, 3.0, 4.0])
    if column:
        X = X.reshape(4, 1)
    return X, 2 * X


def _fit_numpy(module: ModuleType) -> list[float]:
    import numpy as np

    X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    return list(module.fit_numpy(X, 2 * X, 0.01, 30)[1])


def _fit_autograd(module: ModuleType) -> list[float]:
    return list(module.fit_autograd(*_seed_xy(), 0.01, 30)[1])


def _fit_optim(module: ModuleType) -> list[float]:
    return list(module.fit_optim(*_seed_xy(), 0.01, 30)[1])


def _fit_module(module: ModuleType) -> list[float]:
    import torch

    torch.manual_seed(0)
    return list(module.fit_module(module.LinearRegression(1, 1), *_seed_xy(column=True), 0.05, 30))


def _minibatch(module: ModuleType) -> list[float]:
    import torch

    X = torch.stack([torch.arange(1.0, 9.0), torch.ones(8)], dim=1)
    y = X @ torch.tensor([2.0, -1.0])
    return list(module.minibatch_sgd(X, y, 3, 0.01, 30, torch.Generator().manual_seed(0))[1])


# kata id -> how to run it on the seed data and get its losses, one per epoch
SEED_RUNS: dict[str, tuple[str, Callable[[ModuleType], list[float]]]] = {
    "05_loops/fit_numpy": ("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_numpy),
    "05_loops/fit_autograd": ("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_autograd),
    "05_loops/fit_optim": ("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_optim),
    "05_loops/fit_module": ("LinearRegression(1, 1) seeded 0, lr 0.05, 30 epochs", _fit_module),
    "09_beyond/minibatch": ("8 points on a line, batches of 3, lr 0.01, 30 epochs", _minibatch),
}


@dataclass
class Curve:
    kata_id: str
    setting: str
    losses: list[float] | None  # the learner's; None when the run failed
    reference: list[float] | None
    problem: str = ""


def load_kata(path: Path) -> ModuleType:
    """Import a kata file as its own module, its folder first on the path (as its tests do)."""
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def seed_losses(kata_file: Path, kata_id: str) -> list[float]:
    """Run a kata file on its seed data, in this process; the module is forgotten afterwards."""
    saved_path, saved_module = list(sys.path), sys.modules.get(kata_file.stem)
    try:
        return [float(loss) for loss in SEED_RUNS[kata_id][1](load_kata(kata_file))]
    finally:
        sys.path[:] = saved_path
        if saved_module is None:
            sys.modules.pop(kata_file.stem, None)
        else:
            sys.modules[kata_file.stem] = saved_module


def reference_losses(kata_id: str) -> list[float] | None:
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
    """The two curves on a log scale, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 3.5), dpi=100)
    if curve.reference:
        axes.plot(range(len(curve.reference)), curve.reference, label="reference", color="#999999",
                  linewidth=3)
    if curve.losses:
        axes.plot(range(len(curve.losses)), [v if math.isfinite(v) else float("nan") for v in curve.losses],
                  label="yours", color="#d62728")
    axes.set_yscale("log")
    # the texts we write are plain text, `$` and all; the log axis's own tick labels stay mathtext
    axes.set_xlabel("epoch", parse_math=False)
    axes.set_ylabel("loss", parse_math=False)
    axes.set_title(f"{curve.kata_id}: {curve.setting}", fontsize=9, parse_math=False)
    for text in axes.legend().get_texts():
        text.set_parse_math(False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


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


def reference_from_solutions(kata: Kata) -> list[float] | None:
    """In the instructor's checkout: the solution's seed run (call it in a child)."""
    solution = SOLUTIONS_DIR / kata.relative_file
    return seed_losses(solution, kata.id) if solution.is_file() else None
