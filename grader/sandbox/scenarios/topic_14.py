"""Scenarios for 14_generalization: models with Dropout and BatchNorm that record their forwards,
scripted training for early stopping, loaders whose batches record ``.to`` calls, and probes that
report a learner-side object's state after a call.

Probes (``t14_model_state``, ``t14_script_log``, ``t14_courier_log``, ``t14_generator_state``,
``t14_dataset_view``) are built with ``learner.make`` after a call, on a Ref the judge holds:
they return plain data (live tensors, so their storage can be compared). The pure functions
``initial_values`` and ``scripted_state`` are imported by the judge too, so both sides compute the
same numbers with the same operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, default_collate

from grader.sandbox.scenarios import scenario

FORWARD_FAILS = "t14: this model's forward fails on purpose"

# forward records and .to records, by tag: a deep copy of a model (or a batch) keeps its tag,
# so it reports into the same list as the original
_FORWARDS: dict[str, list[dict[str, Any]]] = {}
_MOVES: dict[str, list[list[Any]]] = {}


# ---------------------------------------------------------------- models


class ProbeNet(nn.Module):
    """Linear → [BatchNorm1d] → ReLU → [Dropout] → Linear, recording each forward."""

    def __init__(self, sizes: list[int], batchnorm: bool, dropout: float, fails: bool,
                 tag: str) -> None:
        super().__init__()
        d_in, hidden, d_out = sizes
        layers: list[nn.Module] = [nn.Linear(d_in, hidden)]
        if batchnorm:
            layers.append(nn.BatchNorm1d(hidden))
        layers.append(nn.ReLU())
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(hidden, d_out))
        self.body = nn.Sequential(*layers)
        self.fails = fails
        self.log_tag = tag

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _FORWARDS.setdefault(self.log_tag, []).append({
            "grad_enabled": torch.is_grad_enabled(),
            "training": [m.training for m in self.modules()],
            "rows": int(x.shape[0]),
        })
        if self.fails:
            raise RuntimeError(FORWARD_FAILS)
        return self.body(x)


def initial_values(seed: int, name: str, shape: tuple[int, ...], index: int) -> torch.Tensor:
    """A model entry's starting value in float64: seeded, with a positive running_var."""
    generator = torch.Generator().manual_seed(1000 * seed + index)
    if name.endswith("running_var"):
        return 0.5 + torch.rand(shape, generator=generator, dtype=torch.float64)
    if name.endswith("running_mean"):
        return 0.8 * torch.randn(shape, generator=generator, dtype=torch.float64)
    return 0.6 * torch.randn(shape, generator=generator, dtype=torch.float64)


@scenario("t14_net")
def net(seed: int, sizes: list[int] | None = None, batchnorm: bool = True, dropout: float = 0.0,
        dtype: str = "float32", mode: str = "train", stale_grad: bool = False,
        fails: bool = False, tag: str = "") -> nn.Module:
    """A ProbeNet with seeded weights and running statistics (num_batches_tracked = 5), in
    ``mode``; ``stale_grad`` leaves a seeded .grad on every parameter."""
    model = ProbeNet(sizes or [3, 6, 2], batchnorm, dropout, fails, tag or f"net{seed}")
    torch_dtype = getattr(torch, dtype)
    model.to(torch_dtype)
    with torch.no_grad():
        for index, (name, value) in enumerate(model.state_dict().items()):
            if value.is_floating_point():
                value.copy_(initial_values(seed, name, tuple(value.shape), index))
            else:
                value.fill_(5)
    if stale_grad:
        for index, p in enumerate(model.parameters()):
            p.grad = initial_values(seed + 50, "grad", tuple(p.shape), index).to(torch_dtype)
    model.train(mode == "train")
    return model


@scenario("t14_model_state")
def model_state(model: nn.Module) -> dict[str, Any]:
    """Probe: every submodule's training flag, the live parameters and buffers, the forwards."""
    return {
        "training": [[name, bool(m.training)] for name, m in model.named_modules()],
        "state": dict(model.state_dict(keep_vars=True)),
        "forwards": list(_FORWARDS.get(getattr(model, "log_tag", ""), [])),
    }


@scenario("t14_loss")
def loss(kind: str = "mse") -> nn.Module:
    return {"mse": nn.MSELoss, "cross_entropy": nn.CrossEntropyLoss, "l1": nn.L1Loss}[kind]()


@scenario("t14_sgd")
def sgd(model: nn.Module, lr: float, momentum: float = 0.0) -> torch.optim.Optimizer:
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)


@scenario("t14_device")
def device(name: str = "cpu") -> torch.device:
    return torch.device(name)


# ---------------------------------------------------------------- scripted training


def scripted_steps(seed: int, initial: dict[str, torch.Tensor]) -> dict[str, torch.Tensor | None]:
    """The seeded step each floating entry moves by per epoch (None for an integer entry)."""
    return {name: initial_values(seed + 100, "step", tuple(value.shape), index).to(value.dtype)
            if value.is_floating_point() else None
            for index, (name, value) in enumerate(initial.items())}


def scripted_state(seed: int, initial: dict[str, torch.Tensor], epoch: int,
                   steps: dict[str, torch.Tensor | None] | None = None) -> dict[str, torch.Tensor]:
    """The model's state_dict after training epoch ``epoch`` (0-based) of a Script: floating
    entries move by a seeded step per epoch, integer ones (num_batches_tracked) count epochs.
    ``steps``: scripted_steps(seed, initial), when already drawn."""
    steps = scripted_steps(seed, initial) if steps is None else steps
    return {name: value + (epoch + 1) if steps[name] is None else value + (epoch + 1) * steps[name]
            for name, value in initial.items()}


class Script:
    """train_epoch and val_loss of a scripted run: epoch e sets the model's weights (in place,
    as an optimizer would) to scripted_state(e), and its validation loss is losses[e]."""

    def __init__(self, model: nn.Module, losses: list[float], limit: int, seed: int,
                 as_tensor: bool) -> None:
        self.model = model
        self.losses = losses
        self.limit = limit
        self.seed = seed
        self.as_tensor = as_tensor
        self.initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
        self.steps = scripted_steps(seed, self.initial)  # drawn once: every epoch moves by them
        self.epoch = -1
        self.log: list[list[Any]] = []

    def train_epoch(self) -> float:
        self.epoch += 1
        self.log.append(["train", self.epoch])
        if self.epoch >= self.limit:
            raise RuntimeError(f"train_epoch() was called more than max_epochs = {self.limit} times")
        new = scripted_state(self.seed, self.initial, self.epoch, self.steps)
        with torch.no_grad():
            for name, value in self.model.state_dict().items():
                value.copy_(new[name])
        return 100.0 + self.epoch  # a training loss: not the validation loss to record

    def val_loss(self) -> torch.Tensor | float:
        self.log.append(["val", self.epoch])
        value = self.losses[min(max(self.epoch, 0), len(self.losses) - 1)]
        return torch.tensor(value, dtype=torch.float64) if self.as_tensor else value


@scenario("t14_scripted_run")
def scripted_run(net_params: dict[str, Any], losses: list[float], limit: int, seed: int = 7,
                 as_tensor: bool = False) -> tuple[nn.Module, Script, Callable, Callable]:
    """(model, script, train_epoch, val_loss) of a scripted run, built in one request: the
    arguments of fit_early_stopping share one model and one script."""
    model = net(**net_params)
    run = Script(model, losses, limit, seed, as_tensor)
    return model, run, run.train_epoch, run.val_loss


@scenario("t14_script_log")
def script_log(script: Script) -> list[list[Any]]:
    return list(script.log)


# ---------------------------------------------------------------- loaders and devices


class Courier(torch.Tensor):
    """A batch tensor that records each ``.to`` call; in every other op, a plain tensor."""

    __torch_function__ = torch._C._disabled_torch_function_impl

    def to(self, *args: Any, **kwargs: Any) -> torch.Tensor:  # type: ignore[override]
        tag = getattr(self, "t14_tag", None)
        if tag is not None:
            _MOVES.setdefault(tag[0], []).append([tag[1], tag[2], [str(a) for a in args],
                                                  {k: str(v) for k, v in kwargs.items()}])
        return torch.Tensor.to(self.as_subclass(torch.Tensor), *args, **kwargs)


def _courier_collate(tag: str) -> Callable[[list], tuple[torch.Tensor, torch.Tensor]]:
    count = [0]

    def collate(items: list) -> tuple[torch.Tensor, torch.Tensor]:
        batch = count[0]
        count[0] += 1
        out = []
        for role, value in zip(("x", "y"), default_collate(items), strict=True):
            wrapped = value.as_subclass(Courier)
            wrapped.t14_tag = (tag, batch, role)
            out.append(wrapped)
        return out[0], out[1]

    return collate


@scenario("t14_loader")
def loader(X: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle_seed: int | None = None,
           courier: str = "") -> DataLoader:
    """A DataLoader over TensorDataset(X, y); with ``courier``, its batches record .to calls
    under that tag; with ``shuffle_seed``, shuffled by a generator of that seed."""
    generator = None if shuffle_seed is None else torch.Generator().manual_seed(shuffle_seed)
    return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=shuffle_seed is not None,
                      generator=generator, collate_fn=_courier_collate(courier) if courier else None)


def batch_rows(n: int, batch_size: int, shuffle_seed: int | None = None) -> list[list[int]]:
    """The rows of each batch that ``loader`` yields, found by the same DataLoader machinery."""
    rows = loader(torch.arange(n), torch.arange(n), batch_size, shuffle_seed)
    return [xb.tolist() for xb, _ in rows]


@scenario("t14_courier_log")
def courier_log(tag: str) -> list[list[Any]]:
    """Probe: the .to calls made on the batches of the courier loader ``tag``."""
    return list(_MOVES.get(tag, []))


@scenario("t14_generator_state")
def generator_state(generator: torch.Generator) -> torch.Tensor:
    """Probe: the generator's state, to tell how much was drawn from it."""
    return generator.get_state()


def _attempt(step: Callable[[], Any]) -> Any:
    """What a learner-side step gives, or {"error": its exception as text}: a probe reports."""
    try:
        return step()
    except Exception as error:  # noqa: BLE001 - the learner's class: reported, not raised
        return {"error": f"{type(error).__name__}: {error}"[:500]}


@scenario("t14_dataset_view")
def dataset_view(dataset: Any, rows: int, batch_size: int) -> dict[str, Any]:
    """Probe: a dataset as torch.utils.data sees it: isinstance, len, items 0 … rows − 1, and
    the batches of a DataLoader over it. A step that raises gives {"error": text}."""
    return {
        "is_dataset": isinstance(dataset, torch.utils.data.Dataset),
        "len": _attempt(lambda: len(dataset)),
        "items": [_attempt(lambda i=i: dataset[i]) for i in range(rows)],
        "batches": _attempt(lambda: [tuple(batch) if isinstance(batch, list | tuple) else batch
                                     for batch in DataLoader(dataset, batch_size=batch_size)]),
    }


@scenario("t14_as_dict")
def as_dict(obj: Any) -> dict[str, Any]:
    """Probe: a mapping the judge received as a Ref (an OrderedDict, as state_dict() makes), as a
    plain dict of its live values; anything else by its type's name."""
    if isinstance(obj, dict) and all(type(k) is str for k in obj):
        return {"items": dict(obj)}
    return {"type": type(obj).__name__}
