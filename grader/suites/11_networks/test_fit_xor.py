"""Hidden suite for 11_networks/fit_xor.

The models are trusted ones built learner-side from a seed (grader/sandbox/scenarios/topic_11.py);
the judge builds its own copy with the same builder and runs the contract's loop on it in float64,
at collection (tests/test_published_numbers_05_10_11.py checks that run against the published
numbers). Classic mistakes are replayed by the loop in torch with one thing changed, on a miss.
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Scenario, TensorSeen
from grader.suites.shared import fit_loops

CALL = "fit_xor(model, X, y, lr, epochs)"
CONTRACT = ("fit_xor(model, X, y, lr, epochs) -> list[float]: trains any nn.Module in place; each "
            "epoch loss = F.binary_cross_entropy_with_logits(model(X), y), appended as a float, then "
            "zero_grad, backward and a torch.optim.SGD(model.parameters(), lr) step. Seed: "
            "torch.manual_seed(0), nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1)), "
            "lr 0.5: losses[0] = 0.706034, losses[1] = 0.699964, losses[−1] = 0.0043 after 500 "
            "epochs; a zero nn.Linear(2, 1) never moves (every loss ln 2)")
XOR_X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
SEED_NET = Scenario("net_seeded_mlp", {"seed": 0, "sizes": [2, 8, 1]})
ZERO_LINEAR = Scenario("net_zero_linear", {"n_in": 2, "n_out": 1})
LN2 = math.log(2)

RAISE_HINTS = {
    "has no attribute": "fit_xor must train ANY nn.Module: reach it only through model(X) and "
    "model.parameters()",
    "empty parameter list": "give the optimizer the model's parameters: "
    "torch.optim.SGD(model.parameters(), lr=lr)",
    "does not require grad": "the loss has no graph: compute it from model(X), outside "
    "torch.no_grad(), without .detach()",
    "backward through the graph a second time": "compute the loss afresh in every epoch and call "
    "backward() once on it",
    "must be the same as input size": "keep model(X) and y the same shape, (N, 1)",
}


# ---------------------------------------------------------------- the judge's reference run


def judge_model(spec: Scenario) -> nn.Module:
    """The judge's own copy of a scenario's model, built without touching the judge's generator."""
    with torch.random.fork_rng(devices=[]):
        return scenarios.judge_side(spec)


def layers_of(model: nn.Module) -> list[list]:
    """[weight, bias, activation after it or None] per nn.Linear, as float64 arrays."""
    layers: list[list] = []
    for module in (model if isinstance(model, nn.Sequential) else [model]):
        if isinstance(module, nn.Linear):
            layers.append([module.weight.detach().double().numpy().copy(),
                           module.bias.detach().double().numpy().copy(), None])
        else:
            layers[-1][2] = "relu" if isinstance(module, nn.ReLU) else "tanh"
    return layers


ACTIVATIONS = {"relu": lambda a: np.maximum(a, 0), "tanh": np.tanh, None: lambda a: a}


def reference_run(spec: Scenario, X: torch.Tensor, y: torch.Tensor, lr: float,
                  epochs: int) -> tuple[list[float], dict[str, torch.Tensor]]:
    """The contract's loop in float64 by hand (numpy: a fifth of torch's cost on such small
    networks): BCE with logits, whose gradient is (σ(z) − y)/N·O, backpropagated through
    Linear, ReLU (no gradient at 0, as autograd's) and Tanh layers, then an SGD step."""
    model = judge_model(spec)
    layers = layers_of(model)
    x, t = X.double().numpy(), y.double().numpy()
    losses = []
    for _ in range(epochs):
        inputs, pres = [], []
        h = x
        for weight, bias, activation in layers:
            inputs.append(h)
            pres.append(h @ weight.T + bias)
            h = ACTIVATIONS[activation](pres[-1])
        losses.append(float(np.mean(np.maximum(h, 0) - h * t + np.log1p(np.exp(-np.abs(h))))))
        grad = (0.5 * (1 + np.tanh(0.5 * h)) - t) / t.size  # σ(z) − y, without overflow
        steps = []
        for (weight, _, activation), pre, into in zip(layers[::-1], pres[::-1], inputs[::-1], strict=True):
            if activation == "relu":
                grad = grad * (pre > 0)
            elif activation == "tanh":
                grad = grad * (1 - np.tanh(pre) ** 2)
            steps.append((grad.T @ into, grad.sum(axis=0)))
            grad = grad @ weight
        for (weight, bias, _), (grad_weight, grad_bias) in zip(layers, steps[::-1], strict=True):
            weight -= lr * grad_weight
            bias -= lr * grad_bias
    arrays = [array for weight, bias, _ in layers for array in (weight, bias)]
    return losses, {name: torch.from_numpy(array).to(p.dtype)  # shown in the model's dtype
                    for (name, p), array in zip(model.named_parameters(), arrays, strict=True)}


def train(spec: Scenario, X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int, *,
          mistake: str | None = None) -> tuple[list[float], dict[str, torch.Tensor]]:
    """The contract's loop on the judge's own copy of the model, in torch; ``mistake`` replays
    one slip."""
    model = judge_model(spec)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)

    def loss_of() -> torch.Tensor:
        logits = model(X)
        if mistake == "mse":
            return F.mse_loss(logits, y)
        if mistake == "sigmoid":
            return F.binary_cross_entropy_with_logits(torch.sigmoid(logits), y)
        if mistake == "max_abs":
            return (logits.clamp(min=0) - logits * y + torch.log1p(torch.exp(-logits.abs()))).mean()
        return F.binary_cross_entropy_with_logits(logits, y)

    losses = []
    for _ in range(epochs):
        loss = loss_of()
        if mistake == "frozen":
            loss.backward()
            optimizer.zero_grad()
        else:
            if mistake != "accumulate":
                optimizer.zero_grad()
            loss.backward()
        optimizer.step()
        losses.append(float(loss_of()) if mistake == "after" else loss.item())
    return losses, {name: p.detach().clone() for name, p in model.named_parameters()}


MISTAKES = {
    "accumulate": "the gradients accumulate from epoch to epoch: backward() adds into each .grad, "
    "so call optimizer.zero_grad() in every epoch, before backward()",
    "frozen": "the parameters never move: the gradients are cleared between backward() and "
    "step(); call optimizer.zero_grad() before backward()",
    "after": "losses[i] is recorded after epoch i's update; record each loss before "
    "optimizer.step()",
    "mse": "the loss is the mean squared error; use F.binary_cross_entropy_with_logits(model(X), y)",
    "sigmoid": "the logits went through a sigmoid before F.binary_cross_entropy_with_logits, which "
    "applies its own: pass model(X) as it is",
}


class Run:
    """One training case: the model's scenario, the data, and the judge's run, made at collection."""

    def __init__(self, spec: Scenario, X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int) -> None:
        self.spec, self.X, self.y, self.lr, self.epochs = spec, X, y, lr, epochs
        self.losses, self.params = reference_run(spec, X, y, lr, epochs)

    @property
    def inputs(self) -> dict:
        return {"X": self.X, "y": self.y, "lr": self.lr, "epochs": self.epochs}


SEED_2 = Run(SEED_NET, XOR_X, XOR_Y, 0.5, 2)
SEED_500 = Run(SEED_NET, XOR_X, XOR_Y, 0.5, 500)
ZERO_20 = Run(ZERO_LINEAR, XOR_X, XOR_Y, 0.5, 20)


def _other_data():
    X = cases.uniform(501, 8, 3, low=-2.0, high=2.0, dtype=torch.float64)
    y = ((X[:, :1] * X[:, 1:2] + 0.3 * X[:, 2:]) > 0).double()
    return X, y


TANH_64 = Run(Scenario("net_seeded_mlp", {"seed": 5, "sizes": [3, 6, 1], "activation": "tanh",
                                          "dtype": "float64"}), *_other_data(), 0.3, 40)
RELU_4 = Run(Scenario("net_seeded_mlp", {"seed": 7, "sizes": [2, 4, 4, 1]}), XOR_X, XOR_Y, 1.0, 60)


# ---------------------------------------------------------------- checking a learner's run


def run_learner(learner, run: Run):
    """The learner's losses (read leniently: their type has a test of its own), and the model."""
    model = learner.make(run.spec)
    outcome = learner.call("fit_xor", model, run.X, run.y, run.lr, run.epochs)
    result = fit_loops.result_of(outcome, RAISE_HINTS, CONTRACT)
    losses = fit_loops.read_numbers(result)
    if losses is None:
        checks.fail(f"{CALL} should return the list of losses", inputs=run.inputs, received=result,
                    contract=CONTRACT)
    if len(losses) != run.epochs:
        checks.fail(f"{CALL} returned {len(losses)} losses for {run.epochs} epochs: record exactly "
                    "one loss per epoch", inputs=run.inputs, contract=CONTRACT)
    return losses, model


def check_run(learner, run: Run, *, rtol: float | None = None) -> object:
    """Every loss and every trained parameter as in the judge's run; returns the model."""
    losses, model = run_learner(learner, run)
    after = {name: seen.value for name, seen in learner.inspect(model)["parameters"].items()}
    dtype = run.X.dtype

    def same(ref_losses, ref_params) -> bool:
        return checks.close(losses, ref_losses, dtype, rtol=rtol) and all(
            checks.close(after[k], ref_params[k], dtype, rtol=rtol) for k in ref_params)

    if same(run.losses, run.params):
        return model
    shown = {"inputs": run.inputs, "expected": run.losses, "received": losses, "contract": CONTRACT,
             "extra": "shown: the losses"}
    for mistake, label in MISTAKES.items():
        if same(*train(run.spec, run.X, run.y, run.lr, run.epochs, mistake=mistake)):
            checks.fail(f"{CALL}: {label}", **shown)
    if not checks.close(losses, run.losses, dtype, rtol=rtol):
        if not all(math.isfinite(v) for v in losses):
            checks.fail(f"{CALL}: the losses became nan or inf: check lr and zero_grad()", **shown)
        if checks.close(losses[:1], run.losses[:1], dtype):
            checks.fail(f"{CALL}: losses[0] is right but the run then differs: after recording "
                        "the loss, call zero_grad(), backward() and step() once each, with "
                        "torch.optim.SGD(model.parameters(), lr=lr)", **shown)
        checks.fail(f"{CALL}: the losses are not binary cross-entropy on the logits: use "
                    "F.binary_cross_entropy_with_logits(model(X), y)", **shown)
    if all(torch.equal(after[k], v) for k, v in train(run.spec, run.X, run.y, run.lr, 0)[1].items()):
        checks.fail(f"{CALL}: the losses are right but the model's parameters did not change: "
                    "train the model you were given, in place (no copy of it)", **shown)
    wrong = next(k for k in run.params if not checks.close(after[k], run.params[k], dtype, rtol=rtol))
    checks.fail(f"{CALL}: the losses are right but the trained parameter {wrong} is not",
                inputs=run.inputs, expected=run.params[wrong], received=after[wrong],
                contract=CONTRACT)
    return model


# ---------------------------------------------------------------- the seed


@pytest.mark.points(1)
def test_seed_first_losses(learner):
    """seed: losses[0] = 0.706034, losses[1] = 0.699964"""
    check_run(learner, SEED_2)


@pytest.mark.points(1)
def test_seed_solves_xor(learner):
    """seed: 500 epochs follow the reference run to losses[−1] = 0.0043, and the signs give XOR"""
    model = check_run(learner, SEED_500, rtol=1e-3)
    logits = learner.call_ref(model, XOR_X).value
    if not isinstance(logits, TensorSeen):
        checks.fail("the trained model's output could not be read", contract=CONTRACT)
    signs = (logits.value.reshape(-1) > 0).int().tolist()
    if signs != [0, 1, 1, 0]:
        checks.fail(f"{CALL}: after 500 epochs the logits' signs give {signs}, not XOR [0, 1, 1, 0]",
                    inputs=SEED_500.inputs, received=logits.value, contract=CONTRACT)


@pytest.mark.points(1)
def test_zero_linear_never_moves(learner):
    """a zero-initialised nn.Linear(2, 1): its gradient is exactly 0, every loss is ln 2"""
    losses, model = run_learner(learner, ZERO_20)
    after = learner.inspect(model)["parameters"]
    moved = any(bool(seen.value.abs().max() > 0) for seen in after.values())
    if moved or not checks.close(losses, ZERO_20.losses, torch.float32):
        shown = {"inputs": ZERO_20.inputs, "expected": ZERO_20.losses, "received": losses,
                 "contract": CONTRACT, "extra": "shown: the losses"}
        if moved and checks.close(losses[:1], [LN2], torch.float32):
            checks.fail(f"{CALL}: the zero model moved, so the loss's gradient at a logit of "
                        "exactly 0 is not σ(0) − y = 0.5 − y (which sums to 0 on XOR): a "
                        "hand-written max/abs form differs there. Use "
                        "F.binary_cross_entropy_with_logits", **shown)
        check_run(learner, ZERO_20)


# ---------------------------------------------------------------- any module, other data


@pytest.mark.points(1)
def test_any_module_float64(learner):
    """any nn.Module: a float64 tanh network on other data"""
    check_run(learner, TANH_64)


@pytest.mark.points(1)
def test_deeper_relu_network(learner):
    """a deeper ReLU network on XOR, lr 1.0"""
    check_run(learner, RELU_4, rtol=1e-3)


# ---------------------------------------------------------------- types and inputs


def three_epochs(learner):
    """fit_xor on a fresh seeded network, 3 epochs on XOR: one call per submission for the two
    tests that read it."""
    def train_once():
        return learner.call("fit_xor", learner.make(SEED_NET), XOR_X.clone(), XOR_Y.clone(), 0.5, 3)

    return learner.shared("three epochs", train_once)


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """returns a list of Python floats, one per epoch"""
    outcome = three_epochs(learner)
    losses = fit_loops.result_of(outcome, RAISE_HINTS, CONTRACT)
    fit_loops.check_python_floats(
        losses, 3, call=CALL, inputs={"X": XOR_X, "y": XOR_Y, "lr": 0.5, "epochs": 3},
        contract=CONTRACT, not_a_list=f"{CALL} should return a list of losses",
        tensor_fix="append loss.item(): a tensor would also keep its whole graph alive")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    outcome = three_epochs(learner)
    fit_loops.result_of(outcome, RAISE_HINTS, CONTRACT)
    checks.unchanged(XOR_X, outcome.args[1], name="X", call="fit_xor", contract=CONTRACT)
    checks.unchanged(XOR_Y, outcome.args[2], name="y", call="fit_xor", contract=CONTRACT)
