"""Hidden suite for 14_generalization/data_epoch."""

import pytest
import torch
from torch.utils.data import default_collate

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Ref, Scenario, TensorSeen
from grader.sandbox.scenarios.topic_14 import batch_rows

CALL = "train_epoch(model, loader, optimizer, loss_fn, device)"
PAIRS = "TensorPairs(X, y)"
CONTRACT = ("TensorPairs(X, y): a Dataset, len = rows, item i = (X[i], y[i]), ValueError when the "
            "rows differ; train_epoch(model, loader, optimizer, loss_fn, device) -> float: "
            "model.train(), then per batch: xb, yb .to(device), optimizer.zero_grad(), loss = "
            "loss_fn(model(xb), yb), backward(), optimizer.step(); returns Σ loss_b·n_b / Σ n_b "
            "(each batch's loss before its update, n_b = xb.shape[0]); ValueError when the loader "
            "yields no batch")


# ---------------------------------------------------------------- cases and the judge's run


def case(seed: int, n: int, batch_size: int, dtype, *, classes: int = 0, lr: float = 0.1,
         momentum: float = 0.0, shuffle_seed: int | None = None, mode: str = "train",
         stale_grad: bool = False) -> dict:
    return dict(seed=seed, n=n, batch_size=batch_size, dtype=dtype, classes=classes, lr=lr,
                momentum=momentum, shuffle_seed=shuffle_seed, mode=mode, stale_grad=stale_grad)


def net_spec(c: dict, tag: str) -> Scenario:
    return Scenario("t14_net", {"seed": c["seed"], "sizes": [3, 5, c["classes"] or 2],
                                "batchnorm": True, "dtype": cases.dtype_id(c["dtype"]),
                                "mode": c["mode"], "stale_grad": c["stale_grad"],
                                "tag": f"epoch-{tag}"})


def loss_spec(c: dict) -> Scenario:
    return Scenario("t14_loss", {"kind": "cross_entropy" if c["classes"] else "mse"})


def data(c: dict):
    X = cases.randn(c["seed"] + 1, c["n"], 3, dtype=c["dtype"], scale=1.5)
    if c["classes"]:
        return X, torch.arange(c["n"], dtype=torch.int64) * 7 % c["classes"]
    return X, cases.randn(c["seed"] + 2, c["n"], 2, dtype=c["dtype"])


def reference(c: dict, *, train: bool = True, zero_grad: str = "before", loss_after: bool = False):
    """One epoch in float64 with the judge's copies of the trusted model, loss and batches:
    (batch losses, batch sizes, state_dict after). Keywords replay the classic mistakes."""
    model = scenarios.judge_side(net_spec(c, "judge")).double()  # a fresh copy: stale .grad kept
    if train:
        model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=c["lr"], momentum=c["momentum"])
    loss_fn = scenarios.judge_side(loss_spec(c))
    X, y = data(c)
    X, y = X.double(), (y.double() if y.is_floating_point() else y)
    losses, sizes = [], []
    for rows in batch_rows(c["n"], c["batch_size"], c["shuffle_seed"]):
        xb, yb = X[rows], y[rows]
        if zero_grad == "before":
            optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        if zero_grad == "after":
            optimizer.zero_grad()
        if loss_after:
            loss = loss_fn(model(xb), yb)
        losses.append(loss.item())
        sizes.append(len(rows))
    return losses, sizes, {k: v.detach().clone() for k, v in model.state_dict().items()}


def weighted(losses: list[float], sizes: list[int]) -> float:
    return sum(v * s for v, s in zip(losses, sizes, strict=True)) / sum(sizes)


TRAJECTORY_MISTAKES = {
    "the model was not put in train mode, so BatchNorm normalised with its running statistics "
    "instead of each batch's: call model.train() first": {"train": False},
    "the gradients accumulate across batches: call optimizer.zero_grad() in every batch, before "
    "backward()": {"zero_grad": "never"},
    "a gradient left on the parameters from before the epoch leaked into the first step: call "
    "optimizer.zero_grad() before backward() in each batch, not after step()": {"zero_grad": "after"},
    "the loss of each batch was computed again after its update (a second forward): record the "
    "loss of the forward the step was taken from, before optimizer.step()": {"loss_after": True},
}


def value_mistakes(losses: list[float], sizes: list[int], batch_size: int) -> dict[str, float]:
    n = sum(sizes)
    return {
        "that is the mean of the batch means: a smaller last batch counts as much as a full one; "
        "weight each batch's loss by its size, Σ loss_b·n_b / Σ n_b": sum(losses) / len(losses),
        f"that is the sum Σ loss_b·n_b, not divided by the number of samples (N = {n})":
            sum(v * s for v, s in zip(losses, sizes, strict=True)),
        "that is the last batch's loss; return the mean over every sample of the epoch": losses[-1],
        "each batch was weighted by batch_size, even the smaller last one: weight it by its own "
        "size, n_b = xb.shape[0]": sum(losses) * batch_size / n,
        "the sum was divided by len(loader)·batch_size, more than the samples seen when the last "
        "batch is smaller: divide by Σ n_b":
            sum(v * s for v, s in zip(losses, sizes, strict=True)) / (len(sizes) * batch_size),
        "that is the sum of the batch losses: weight each by its size and divide by Σ n_b":
            sum(losses),
    }


def state_close(seen: dict, expected: dict[str, torch.Tensor], dtype) -> bool:
    return all(isinstance(seen.get(k), TensorSeen) and checks.close(seen[k].value, v, dtype)
               for k, v in expected.items())


def describe(c: dict) -> dict:
    X, y = data(c)
    seed = c["shuffle_seed"]
    shuffle = "" if seed is None else f", shuffle=True with a generator seeded {seed}"
    return {"X": X, "y": y,
            "loader": f"DataLoader(TensorDataset(X, y), batch_size={c['batch_size']}{shuffle})",
            "model": f"Linear → BatchNorm1d → ReLU → Linear, in {c['mode']} mode"
                     + (", with gradients left from before" if c["stale_grad"] else ""),
            "optimizer": f"SGD(lr={c['lr']}, momentum={c['momentum']})",
            "loss_fn": "nn.CrossEntropyLoss()" if c["classes"] else "nn.MSELoss()"}


def run(learner, c: dict, tag: str, *, courier: str = "", device=None):
    model = learner.make(net_spec(c, tag))
    X, y = DATA[c["seed"]]
    loader = Scenario("t14_loader", {"X": X, "y": y, "batch_size": c["batch_size"],
                                     "shuffle_seed": c["shuffle_seed"], "courier": courier})
    optimizer = Scenario("t14_sgd", {"model": model, "lr": c["lr"], "momentum": c["momentum"]})
    outcome = learner.call("train_epoch", model, loader, optimizer, loss_spec(c),
                           "cpu" if device is None else device)
    return outcome, model


def model_state(learner, model: Ref) -> dict:
    return learner.make(Scenario("t14_model_state", {"model": model}))


def check_epoch(learner, c: dict, tag: str) -> None:
    """The returned mean and the model after the epoch, against the judge's run."""
    outcome, model = run(learner, c, tag)
    inputs = INPUTS[c["seed"]]
    got = checks.as_number(outcome, call=CALL, inputs=inputs, contract=CONTRACT,
                           what="the epoch's mean loss")
    state = model_state(learner, model)["state"]
    losses, sizes, expected_state = REFERENCE[c["seed"]]
    expected = weighted(losses, sizes)
    dtype = c["dtype"]
    value_ok, state_ok = checks.close(got, expected, dtype), state_close(state, expected_state, dtype)
    if value_ok and state_ok:
        return
    details = {"inputs": inputs, "contract": CONTRACT}
    for label, keywords in TRAJECTORY_MISTAKES.items():
        wrong_losses, wrong_sizes, wrong_state = reference(c, **keywords)
        if state_close(state, wrong_state, dtype) and (
                not state_ok or checks.close(got, weighted(wrong_losses, wrong_sizes), dtype)):
            checks.fail(f"{CALL}: {label}", **details)
    if not state_ok:
        key = next(k for k, v in expected_state.items()
                   if not (isinstance(state.get(k), TensorSeen) and checks.close(state[k].value, v, dtype)))
        if key.endswith("num_batches_tracked"):
            checks.fail(f"{CALL}: the model ran {int(state[key].value) - 5} training forwards; one per "
                        f"batch ({len(sizes)} batches) is right", **details)
        checks.fail(f"{CALL}: after the epoch the model's {key} is not what one optimizer.step() "
                    "per batch gives (zero_grad, forward, loss, backward, step, in that order, for "
                    "every batch the loader yields)", expected=expected_state[key],
                    received=state[key].value if isinstance(state.get(key), TensorSeen) else None,
                    **details)
    for label, wrong in value_mistakes(losses, sizes, c["batch_size"]).items():
        if checks.close(got, wrong, dtype):
            checks.fail(f"{CALL}: {label}", expected=expected, received=got,
                        extra=f"batch losses {checks.fmt(losses)}, batch sizes {sizes}", **details)
    checks.fail(f"{CALL}: the returned mean is not Σ loss_b·n_b / Σ n_b over the batches "
                f"({checks.explain_miss(torch.tensor(got), torch.tensor(expected), dtype=dtype)})",
                expected=expected, received=got,
                extra=f"batch losses {checks.fmt(losses)}, batch sizes {sizes}", **details)


# ---------------------------------------------------------------- TensorPairs


PAIR_CASES = [
    pytest.param(torch.float32, "matrix", id="float32-y-matrix"),
    pytest.param(torch.float64, "labels", id="float64-int64-labels"),
]


def pairs_data(dtype, y_kind: str, n: int = 7):
    X = cases.randn(5, n, 3, dtype=dtype)
    y = torch.arange(n, dtype=torch.int64) % 3 if y_kind == "labels" else cases.randn(6, n, 2, dtype=dtype)
    return X, y


PAIRS_DATA = {(dtype, y_kind): pairs_data(dtype, y_kind) for dtype, y_kind in (p.values for p in PAIR_CASES)}
# the batches a DataLoader(batch_size=3) yields over TensorDataset(X, y), for each case
PAIRS_BATCHES = {key: [default_collate([(X[i], y[i]) for i in rows]) for rows in batch_rows(X.shape[0], 3)]
                 for key, (X, y) in PAIRS_DATA.items()}


@pytest.fixture(scope="module")
def views(learner):
    """TensorPairs(X, y) of each case as torch.utils.data sees it, read by the first test that asks:
    two tests judge each view (its items, its batches), once per submission."""
    return lambda dtype, y_kind: learner.shared(
        ("view", dtype, y_kind), lambda: view_of(learner, *PAIRS_DATA[dtype, y_kind], 3))


def view_of(learner, X, y, batch_size: int) -> dict:
    made = learner.call("TensorPairs", X, y).value
    if not isinstance(made, Ref):
        checks.fail(f"{PAIRS} should make a Dataset object; it made {checks.fmt(made)}",
                    contract=CONTRACT)
    view = learner.make(Scenario("t14_dataset_view", {"dataset": made, "rows": X.shape[0],
                                                      "batch_size": batch_size}))
    if not view.get("is_dataset"):
        checks.fail(f"{PAIRS} is not a torch.utils.data.Dataset: keep `class "
                    "TensorPairs(torch.utils.data.Dataset)`", contract=CONTRACT)
    return view


def check_raised(seen, step: str, inputs) -> None:
    """A probe step that raised in the learner's class: say which, and what."""
    if isinstance(seen, dict) and "error" in seen:
        checks.fail(f"{step} raised {seen['error']}", inputs=inputs, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, y_kind", PAIR_CASES)
def test_tensor_pairs_len_and_items(views, dtype, y_kind):
    """TensorPairs: len is the number of rows, item i is the tuple (X[i], y[i])"""
    X, y = PAIRS_DATA[dtype, y_kind]
    inputs = {"X": X, "y": y}
    view = views(dtype, y_kind)
    check_raised(view["len"], f"len({PAIRS})", inputs)
    if type(view["len"]) is not int or view["len"] != X.shape[0]:
        checks.fail(f"len({PAIRS}) is {checks.fmt(view['len'])}; it should be the number of rows, "
                    f"{X.shape[0]} (X.shape[0], not X.numel())", inputs=inputs, contract=CONTRACT)
    for i, item in enumerate(view["items"]):
        check_raised(item, f"{PAIRS}[{i}]", inputs)
        if not isinstance(item, tuple) or len(item) != 2:
            checks.fail(f"{PAIRS}[{i}] should be the tuple (X[{i}], y[{i}]); it is {checks.fmt(item)}",
                        inputs=inputs, contract=CONTRACT)
        for name, seen, want in (("X", item[0], X[i]), ("y", item[1], y[i])):
            checks.tensor(seen, want, call=f"{PAIRS}[{i}][{0 if name == 'X' else 1}], {name}[{i}]",
                          inputs=inputs, contract=CONTRACT, rtol=0.0, atol=0.0)


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, y_kind", PAIR_CASES)
def test_tensor_pairs_in_a_dataloader(views, dtype, y_kind):
    """a DataLoader over TensorPairs yields the batches it yields over TensorDataset"""
    X, y = PAIRS_DATA[dtype, y_kind]
    inputs = {"X": X, "y": y, "loader": "DataLoader(TensorPairs(X, y), batch_size=3)"}
    view = views(dtype, y_kind)
    check_raised(view["batches"], f"iterating DataLoader({PAIRS}, batch_size=3)", inputs)
    expected = PAIRS_BATCHES[dtype, y_kind]
    if len(view["batches"]) != len(expected):
        checks.fail(f"DataLoader({PAIRS}, batch_size=3) yielded {len(view['batches'])} batches; "
                    f"{len(expected)} expected for {X.shape[0]} rows", inputs=inputs, contract=CONTRACT)
    for b, (seen, want) in enumerate(zip(view["batches"], expected, strict=True)):
        if not isinstance(seen, tuple) or len(seen) != 2:
            checks.fail(f"batch {b} should be a pair (xb, yb); it is {checks.fmt(seen)}",
                        inputs=inputs, contract=CONTRACT)
        for name, part, target in zip(("xb", "yb"), seen, want, strict=True):
            checks.tensor(part, target, call=f"batch {b}: {name}", inputs=inputs, contract=CONTRACT,
                          rtol=0.0, atol=0.0)


@pytest.mark.points(1)
@pytest.mark.rule
def test_tensor_pairs_rows_differ(learner):
    """TensorPairs: ValueError when X and y have different numbers of rows"""
    outcome = learner.call("TensorPairs", torch.zeros(5, 2), torch.zeros(4))
    checks.raises(outcome, "ValueError", call=PAIRS, contract=CONTRACT,
                  inputs="X of shape (5, 2), y of shape (4,)", why="X and y must have the same rows")


# ---------------------------------------------------------------- train_epoch


SEED_CASE = case(11, 10, 4, torch.float32)
EPOCH = [case(21, 12, 5, torch.float64, classes=3, momentum=0.9),
         case(22, 11, 3, torch.float32, momentum=0.5, shuffle_seed=5),
         case(23, 6, 8, torch.float64, lr=0.05),
         case(24, 10, 4, torch.float32, lr=0.2, mode="eval")]
STALE_CASE = case(31, 8, 3, torch.float64, momentum=0.3, stale_grad=True)
TRAIN_MODE_CASE = case(41, 8, 4, torch.float32, mode="eval")
MOVES_CASE = case(51, 10, 4, torch.float32)
FLOAT_CASE = case(71, 6, 4, torch.float64)
JUDGED = [SEED_CASE, *EPOCH, STALE_CASE, FLOAT_CASE]  # the epochs the judge runs itself
# by case seed, computed once at collection: the data, its description, the judge's epoch
DATA = {c["seed"]: data(c) for c in [*JUDGED, TRAIN_MODE_CASE, MOVES_CASE]}
INPUTS = {c["seed"]: describe(c) for c in JUDGED}
REFERENCE = {c["seed"]: reference(c) for c in JUDGED}
MOVES_BATCHES = len(batch_rows(MOVES_CASE["n"], MOVES_CASE["batch_size"]))


@pytest.mark.points(1)
def test_seed_sample_weighted_mean(learner):
    """seed: 10 rows, batch_size 4: batches of 4, 4 and 2 weighted 0.4, 0.4 and 0.2"""
    check_epoch(learner, SEED_CASE, "seed")


EPOCH_CASES = [pytest.param(c, id=name) for c, name in zip(EPOCH, [
    "float64-cross-entropy-momentum", "float32-shuffled", "one-batch", "model-in-eval-mode"], strict=True)]


@pytest.mark.points(1)
@pytest.mark.parametrize("c", EPOCH_CASES)
def test_epoch(learner, c):
    """the mean loss and the model after one epoch, as one SGD step per batch gives them"""
    check_epoch(learner, c, f"case-{c['seed']}")


@pytest.mark.points(1)
def test_stale_gradients_cleared(learner):
    """a gradient left from before the epoch never reaches a step: zero_grad before backward"""
    check_epoch(learner, STALE_CASE, "stale")


@pytest.mark.points(1)
def test_train_mode(learner):
    """model.train() first: every forward in train mode, and the model left in train mode"""
    c = TRAIN_MODE_CASE
    outcome, model = run(learner, c, "train-mode")
    outcome.value  # noqa: B018 - surfaces an exception
    state = model_state(learner, model)
    forwards = state["forwards"]
    if not forwards:
        checks.fail(f"{CALL} never called the model: loss = loss_fn(model(xb), yb) for each batch",
                    contract=CONTRACT)
    if not all(all(f["training"]) for f in forwards) or not all(flag for _, flag in state["training"]):
        checks.fail(f"{CALL}: the model was in eval mode and stayed so: call model.train() before "
                    "the first batch (BatchNorm and Dropout behave differently in training)",
                    inputs=describe(c), contract=CONTRACT)
    if not all(f["grad_enabled"] for f in forwards):
        checks.fail(f"{CALL}: a forward ran under torch.no_grad(): the loss needs its graph to "
                    "backpropagate", contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("device", ["cpu", Scenario("t14_device", {"name": "cpu"})],
                         ids=["device-string", "torch-device"])
def test_moves_each_batch(learner, device):
    """each batch's xb and yb are moved with .to(device)"""
    c = MOVES_CASE
    tag = f"moves-{'string' if device == 'cpu' else 'device'}"
    outcome, _ = run(learner, c, tag, courier=tag, device=device)
    outcome.value  # noqa: B018 - surfaces an exception
    log = learner.make(Scenario("t14_courier_log", {"tag": tag}))
    moved = {(batch, role) for batch, role, args, kwargs in log
             if "cpu" in list(args) + list(kwargs.values())}
    batches = MOVES_BATCHES
    shown = "device = 'cpu'" if device == "cpu" else "device = torch.device('cpu')"
    if not moved:
        checks.fail(f"{CALL} never moved a batch with .to(device): xb, yb = xb.to(device), "
                    "yb.to(device) for every batch (on a GPU, a batch left on the CPU fails)",
                    inputs=shown, contract=CONTRACT)
    for role in ("x", "y"):
        missing = [b for b in range(batches) if (b, role) not in moved]
        if missing:
            what = "xb" if role == "x" else "yb"
            checks.fail(f"{CALL}: {what} of batch{'es' if len(missing) > 1 else ''} "
                        f"{', '.join(map(str, missing))} was not moved with {what}.to(device): move "
                        "both xb and yb, in every batch", inputs=shown, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_empty_loader_raises(learner):
    """ValueError when the loader yields no batch"""
    model = learner.make(net_spec(case(61, 4, 2, torch.float32), "empty"))
    loader = Scenario("t14_loader", {"X": torch.zeros(0, 3), "y": torch.zeros(0, 2), "batch_size": 4})
    outcome = learner.call("train_epoch", model, loader, Scenario("t14_sgd", {"model": model, "lr": 0.1}),
                           Scenario("t14_loss", {"kind": "mse"}), "cpu")
    checks.raises(outcome, "ValueError", call=CALL, contract=CONTRACT,
                  inputs="a DataLoader over 0 rows", why="there is no sample to average over")


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_python_float(learner):
    """returns a Python float"""
    c = FLOAT_CASE
    outcome, _ = run(learner, c, "float")
    losses, sizes, _ = REFERENCE[c["seed"]]
    checks.python_float(outcome, weighted(losses, sizes), call=CALL, inputs=INPUTS[c["seed"]],
                        contract=CONTRACT, rtol=float("inf"), atol=float("inf"))
