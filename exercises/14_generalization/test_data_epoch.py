"""Public tests for 14_generalization/data_epoch.

Run them with: pytest exercises/14_generalization/test_data_epoch.py
"""

import copy

import pytest
import torch
from data_epoch import TensorPairs, train_epoch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

X = torch.randn(10, 3, generator=torch.Generator().manual_seed(0))
Y = torch.randn(10, 2, generator=torch.Generator().manual_seed(1))


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def reference_epoch(model, batch_size, lr=0.1, momentum=0.5, mistake=""):
    """The loop the contract describes, on a copy: (weighted mean, batch losses, trained copy);
    with a mistake (a key of MISTAKES), the classic wrong loop."""
    original, model = model, copy.deepcopy(model).train()
    for p, q in zip(original.parameters(), model.parameters(), strict=True):
        q.grad = None if p.grad is None else p.grad.clone()  # deepcopy leaves .grad behind
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    losses, sizes = [], []
    for xb, yb in DataLoader(TensorDataset(X, Y), batch_size=batch_size):
        if mistake not in ("no zero_grad", "zero_grad after"):
            optimizer.zero_grad()
        loss = nn.MSELoss()(model(xb), yb)
        loss.backward()
        optimizer.step()
        if mistake == "zero_grad after":
            optimizer.zero_grad()
        if mistake == "loss after":
            loss = nn.MSELoss()(model(xb), yb)
        losses.append(loss.item())
        sizes.append(len(xb))
    return sum(v * n for v, n in zip(losses, sizes, strict=True)) / sum(sizes), losses, model


MISTAKES = {
    "no zero_grad": "the gradients accumulate across batches: call optimizer.zero_grad() in every "
                    "batch, before backward()",
    "zero_grad after": "a gradient left on the parameters from before the epoch leaked into the first "
                       "step: call optimizer.zero_grad() before backward() in each batch, not after step()",
    "loss after": "the loss of each batch was computed again after its update (a second forward): "
                  "record the loss of the forward the step was taken from, before optimizer.step()",
}


def test_tensor_pairs():
    labels = torch.arange(10) % 3
    data = TensorPairs(X, labels)
    assert isinstance(data, torch.utils.data.Dataset) and len(data) == 10, "len is the number of rows"
    item = data[4]
    assert isinstance(item, tuple), (
        f"data[4] should be the tuple (X[4], y[4]); it is a {type(item).__name__}: return X[i], y[i]"
    )
    assert len(item) == 2 and torch.equal(item[0], X[4]) and torch.equal(item[1], labels[4]), (
        "data[4] should be the tuple (X[4], y[4]): item i is the pair (X[i], y[i])"
    )
    batches = list(DataLoader(data, batch_size=4))
    assert [len(xb) for xb, _ in batches] == [4, 4, 2] and torch.equal(batches[2][1], labels[8:]), (
        "a DataLoader over TensorPairs should yield batches of 4, 4 and 2 rows, in order"
    )
    try:
        TensorPairs(X, labels[:9])
    except ValueError:
        return
    pytest.fail("TensorPairs(X, y) should raise ValueError when X has 10 rows and y has 9")


def test_seed_sample_weighted_mean():
    model = make_model()
    expected, batch_losses, _ = reference_epoch(model, 4)
    mean_of_means = sum(batch_losses) / 3
    slips = {why: reference_epoch(model, 4, mistake=mistake)[0] for mistake, why in MISTAKES.items()
             if mistake != "zero_grad after"}  # no gradient is left before this epoch
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    got = train_epoch(model, DataLoader(TensorDataset(X, Y), batch_size=4), optimizer, nn.MSELoss(), "cpu")
    assert type(got) is float, f"train_epoch should return a Python float, got {type(got).__name__}"
    named = {
        "that is the mean of the batch means, where the last batch counts as much as a full one":
            mean_of_means,
        "every batch was weighted by batch_size, even the last one of 2 rows": sum(batch_losses) * 4 / 10,
        "that is the sum of loss_b * n_b, not divided by the 10 samples":
            sum(v * n for v, n in zip(batch_losses, (4, 4, 2), strict=True)),
        **slips,
    }
    why = next((label for label, value in named.items() if got == pytest.approx(value, rel=1e-5)),
               "each loss_b is the loss of the forward that batch's step was taken from, before step()")
    assert got == pytest.approx(expected, rel=1e-5), (
        f"batches of 4, 4 and 2 weigh 0.4, 0.4 and 0.2: expected {expected:.6f}, got {got:.6f}: {why}"
    )


def test_trains_like_the_loop_from_any_mode_and_stale_gradients():
    model = make_model().eval()  # in eval mode: train_epoch must call model.train()
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)  # left from before: zero_grad must come before backward
    _, _, trained = reference_epoch(model, 6)
    before = copy.deepcopy(model)
    for p, q in zip(model.parameters(), before.parameters(), strict=True):
        q.grad = p.grad.clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)
    train_epoch(model, DataLoader(TensorDataset(X, Y), batch_size=6), optimizer, nn.MSELoss(), "cpu")
    assert all(m.training for m in model.modules()), "call model.train() at the start of the epoch"
    def same(a, b):
        return all(torch.allclose(x.float(), y.float(), atol=1e-5)
                   for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True))

    why = next((why for mistake, why in MISTAKES.items()
                if same(model, reference_epoch(before, 6, mistake=mistake)[2])), "")
    for (name, got), want in zip(model.state_dict().items(), trained.state_dict().values(), strict=True):
        assert torch.allclose(got.float(), want.float(), atol=1e-5), (
            f"after the epoch {name} differs from the loop: "
            + (why or "per batch optimizer.zero_grad(), loss_fn(model(xb), yb), backward(), step(), in "
               "that order (zero_grad before backward, so a gradient left from before the epoch never "
               "reaches a step)")
        )


class Tracked(torch.Tensor):
    """A batch tensor that counts its .to(...) calls."""

    moves = []

    def to(self, *args, **kwargs):
        Tracked.moves.append(getattr(self, "role", None))  # None: a tensor made from a batch
        return torch.Tensor.to(self.as_subclass(torch.Tensor), *args, **kwargs)


def test_each_batch_moved_and_empty_loader():
    Tracked.moves = []
    batches = [(X[i:i + 4].as_subclass(Tracked), Y[i:i + 4].as_subclass(Tracked)) for i in (0, 4, 8)]
    for b, (xb, yb) in enumerate(batches):
        xb.role, yb.role = ("xb", b), ("yb", b)
    model = make_model()
    train_epoch(model, batches, torch.optim.SGD(model.parameters(), lr=0.1), nn.MSELoss(), "cpu")
    assert Tracked.moves, (
        "train_epoch never moved a batch with .to(device): xb, yb = xb.to(device), yb.to(device) "
        "for every batch (on a GPU, a batch left on the CPU fails)"
    )
    for name in ("xb", "yb") if None not in Tracked.moves else ():
        missing = [str(b) for b in range(3) if (name, b) not in Tracked.moves]
        assert not missing, (
            f"{name} of batch{'es' if len(missing) > 1 else ''} {', '.join(missing)} was not moved "
            f"with {name}.to(device): move both xb and yb, in every batch"
        )
    assert len(Tracked.moves) == 6, (
        f"move xb and yb of each of the 3 batches with .to(device), once each: {len(Tracked.moves)} "
        "moves seen"
    )
    try:
        train_epoch(model, [], torch.optim.SGD(model.parameters(), lr=0.1), nn.MSELoss(), "cpu")
    except ValueError:
        return
    except ZeroDivisionError:
        pytest.fail("train_epoch should raise ValueError when the loader yields no batch (there is no "
                    "sample to average over); it divided by zero instead")
    pytest.fail("train_epoch should raise ValueError when the loader yields no batch")
