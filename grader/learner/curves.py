"""Loss curves for the training-loop katas: the learner's losses on the seed data against the
reference run's, as a terminal sparkline and a PNG beside the kata, so a divergence or a stalled
loss is seen rather than read. Some katas add a picture beside it, or more curves over it
(``grader.learner.pictures``).

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
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

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
# 07_temperature's data: the thermometer's readings in unknown units, and in Celsius
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
BOWL, BOWL_START = (1.0, 50.0), (-4.0, 1.0)  # ½(x² + 50·y²): 50 times as steep across as along
ADAM_LR, SGD_LR, MOMENTUM, BOWL_STEPS = 0.3, 0.035, 0.9, 100  # SGD's lr: just under 2/λmax = 0.04

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


def _adam(module: ModuleType) -> tuple[list[float], Picture]:
    """The learner's Adam and torch's SGD, without and with momentum, on the same bowl: the loss
    curve is Adam's, the picture the three paths."""
    import torch

    runs = {"adam": _bowl_run(lambda p: module.Adam([p], lr=ADAM_LR)),
            "sgd": _bowl_run(lambda p: torch.optim.SGD([p], lr=SGD_LR)),
            "momentum": _bowl_run(lambda p: torch.optim.SGD([p], lr=SGD_LR, momentum=MOMENTUM))}
    return runs["adam"][0], pictures.paths(BOWL, {name: path for name, (_, path) in runs.items()})


def _bowl_run(make_optimizer: Callable[[Any], Any]) -> tuple[list[float], list[list[float]]]:
    """BOWL_STEPS steps of an optimizer on the bowl from BOWL_START, in float64: the loss before
    each step, and the path (the start, then the point after each step)."""
    import torch

    p = torch.tensor(BOWL_START, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer(p)
    losses, path = [], [p.tolist()]
    for _ in range(BOWL_STEPS):
        loss = 0.5 * (BOWL[0] * p[0] ** 2 + BOWL[1] * p[1] ** 2)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        path.append(p.tolist())
    return losses, path


def _critical_lr(module: ModuleType) -> tuple[list[float], Picture]:
    """Gradient descent on the temperature fit at 0.9 × and at 1.1 × the learner's critical lr:
    the loss curve is the lower run's, the picture both."""
    import torch

    X = torch.stack([torch.tensor(T_U), torch.ones(len(T_U))], dim=1)
    lr = float(module.critical_lr(X))
    below, above = (_descent(X, torch.tensor(T_C), factor * lr, 100) for factor in (0.9, 1.1))
    return below, pictures.either_side(lr, below, above)


def _descent(X: Any, y: Any, lr: float, epochs: int) -> list[float]:
    """Plain gradient descent on the MSE of ŷ = X@a from a = 0, in float64: the loss of each epoch,
    before its step."""
    import torch

    X, y = X.to(torch.float64), y.to(torch.float64)
    a, losses = torch.zeros(X.shape[1], dtype=torch.float64), []
    for _ in range(epochs):
        residual = X @ a - y
        losses.append(float((residual * residual).mean()))
        a = a - lr * 2 * X.T @ residual / len(y)
    return losses


def _early_stopping(module: ModuleType) -> tuple[list[float], Picture]:
    """The learner's early stopping on a polynomial that overfits: the loss curve is the validation
    losses it returns; the picture what train_epoch and val_loss gave, and the epoch it kept."""
    run = _Overfitting()
    _, best_epoch, losses = module.fit_early_stopping(run.model, run.train_epoch, run.val_loss, 150, 20)
    return list(losses), _picture_or_none(lambda: pictures.early_stopping(run.train, run.val, best_epoch,
                                                                          run.validation_loss()))


class _Overfitting:
    """A degree-9 polynomial (Linear(9, 1) on the Legendre polynomials P1..P9, from zero) fit by
    full-batch SGD to 10 noisy points of sin(3x) on [-1, 1]; validated on 30 more. Its validation
    loss is lowest at epoch 20 and climbs after, while the training loss keeps falling."""

    def __init__(self) -> None:
        import torch
        from torch import nn

        noise = torch.Generator().manual_seed(6)
        x, x_val = torch.linspace(-1, 1, 10), torch.linspace(-1, 1, 30)
        self.y = torch.sin(3 * x) + 0.3 * torch.randn(10, generator=noise)
        self.y_val = torch.sin(3 * x_val) + 0.3 * torch.randn(30, generator=noise)
        self.features, self.features_val = self._legendre(x), self._legendre(x_val)
        self.model = nn.Linear(9, 1)
        with torch.no_grad():
            self.model.weight.zero_()
            self.model.bias.zero_()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        self.train: list[float] = []  # what each call of train_epoch and val_loss gave
        self.val: list[float] = []

    @staticmethod
    def _legendre(x: Any) -> Any:
        import torch

        return torch.special.legendre_polynomial_p(x.reshape(-1, 1), torch.arange(1, 10))

    def train_epoch(self) -> float:
        """One epoch: one SGD step on the 10 points; its loss, before the step."""
        import torch.nn.functional as F

        loss = F.mse_loss(self.model(self.features).reshape(-1), self.y)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.train.append(loss.item())
        return loss.item()

    def val_loss(self) -> float:
        self.val.append(self.validation_loss())
        return self.val[-1]

    def validation_loss(self) -> float:
        """The model's loss on the 30 held-out points, as it is now (recorded by no one)."""
        import torch
        import torch.nn.functional as F

        with torch.no_grad():
            return F.mse_loss(self.model(self.features_val).reshape(-1), self.y_val).item()


class SeedRun(NamedTuple):
    setting: str  # what the run is, in the learner's words
    run: Callable[[ModuleType], tuple[list[float], Picture]]  # its losses, one per epoch, and picture
    stops: bool = False  # the kata decides when to stop: runs of different lengths are no mistake


# kata id -> what its seed run is, and how to run it
SEED_RUNS: dict[str, SeedRun] = {
    "05_loops/fit_numpy": SeedRun("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_numpy),
    "05_loops/fit_autograd": SeedRun("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_autograd),
    "05_loops/fit_optim": SeedRun("X = [1,2,3,4], y = 2X, lr 0.01, 30 epochs", _fit_optim),
    "05_loops/fit_module": SeedRun("LinearRegression(1, 1) seeded 0, lr 0.05, 30 epochs", _fit_module),
    "09_beyond/minibatch": SeedRun("8 points on a line, batches of 3, lr 0.01, 30 epochs", _minibatch),
    "10_classification/logistic_fit": SeedRun("hours studied as X (20, 1) float32, passed as y, lr 0.5, "
                                              "2000 epochs", _fit_logistic),
    "11_networks/fit_xor": SeedRun("XOR, torch.manual_seed(0), Linear(2, 8), ReLU, Linear(8, 1), lr 0.5, "
                                   "500 epochs", _fit_xor),
    "12_optimizers/adam": SeedRun(f"your Adam at lr {ADAM_LR} on ½(x² + 50y²) from (−4, 1), float64, "
                                  f"{BOWL_STEPS} steps; SGD and momentum {MOMENTUM} at lr {SGD_LR} "
                                  "(2/λmax = 0.04)", _adam),
    "13_curvature/critical_lr": SeedRun("GD on the temperature data (t_u and a column of ones, y = t_c) "
                                        "from a = 0 at lr = 0.9 × your critical_lr(X), 100 epochs",
                                        _critical_lr),
    "14_generalization/early_stopping": SeedRun("a degree-9 polynomial fit to 10 noisy points by SGD, "
                                                "lr 0.1, validated on 30; max_epochs 150, patience 20",
                                                _early_stopping, stops=True),
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
    return Curve(kata_id, SEED_RUNS[kata_id].setting, data.get("losses"), reference.get("losses"),
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
        losses, picture = SEED_RUNS[kata_id].run(load_kata(kata_file))
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
    """The two curves on a log scale, and the kata's picture beside them (or over them) if it has
    one, as a PNG."""
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    second = pictures.has_panel(curve.picture, curve.reference_picture)
    figure, axes = plt.subplots(1, 1 + second, figsize=(11, 3.8) if second else (6, 3.5), dpi=100,
                                squeeze=False)
    with np.errstate(over="ignore"):  # a diverging run's 1e300 overflows the log axis's margins
        _draw_losses(axes[0][0], curve)
        if curve.picture is not None or curve.reference_picture is not None:
            pictures.draw(axes[0][-1], curve.picture, curve.reference_picture)
        # the texts we write are plain text, `$` and all; the log axis's own tick labels stay mathtext
        figure.suptitle(textwrap.fill(f"{curve.kata_id}: {curve.setting}", 170 if second else 80),
                        fontsize=9, parse_math=False)
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
        seed = SEED_RUNS.get(curve.kata_id)
        if seed is None or not seed.stops:
            return f"{len(mine)} losses for {len(ref)} epochs: one loss per epoch, before its update"
        both = min(len(mine), len(ref))  # when it stopped is for the picture to say
        said = compare(replace(curve, losses=mine[:both], reference=ref[:both]))
        return f"{said}, over the {both} epochs both ran"
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
