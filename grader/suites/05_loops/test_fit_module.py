"""Hidden suite for 05_loops/fit_module."""

import math

import pytest
import torch

from grader import diagnoses
from grader.grading import cases, checks
from grader.sandbox.codec import Ref, Scenario
from grader.suites.shared import fit_loops

CALL = "fit_module(model, X, y, lr, epochs)"
CONTRACT = ("LinearRegression(input_dim, output_dim): one nn.Linear inside, forward(x) = x·Wᵀ + b; "
            "fit_module(model, X, y, lr, epochs) -> list[float]: trains ANY nn.Module in place with "
            "MSE and SGD; losses[i] is the loss of epoch i, before its update")
LINEAR = "torch.nn.modules.linear.Linear"
SEED_X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
SEED_Y = 2 * SEED_X


# ---------------------------------------------------------------- the judge's reference


def linear_forward(prefix):
    def forward(ps, x):
        out = x @ ps[f"{prefix}weight"].T
        return out + ps[f"{prefix}bias"] if f"{prefix}bias" in ps else out

    return forward


def tanh_forward(ps, x):
    hidden = torch.tanh(x @ ps["0.weight"].T + ps["0.bias"])
    return hidden @ ps["2.weight"].T + ps["2.bias"]


def train(forward, init, X, y, lr, epochs, *, loss_scale=1.0, after=False, accumulate=False,
          frozen=False, squeeze=False):
    """Plain SGD on the MSE in float64 (and, with the keywords, classic ways of getting it wrong)."""
    ps = {name: p.detach().double().clone().requires_grad_(True) for name, p in init.items()}
    x, t = X.double(), y.double()

    def loss_of():
        pred = forward(ps, x)
        if squeeze:  # ŷ of shape (N,) against y of shape (N, 1): an N×N table of differences
            pred = pred.reshape(-1)
        return loss_scale * ((pred - t) ** 2).mean()

    steps = {name: torch.zeros_like(p) for name, p in ps.items()}
    losses = []
    for _ in range(epochs):
        loss = loss_of()
        grads = torch.autograd.grad(loss, list(ps.values()))
        with torch.no_grad():
            for (name, p), grad in zip(ps.items(), grads, strict=True):
                steps[name] = steps[name] + grad if accumulate else grad
                if not frozen:
                    p -= lr * steps[name]
            losses.append(float(loss_of()) if after else float(loss))
    return {name: p.detach() for name, p in ps.items()}, losses


def mistakes(y):
    n, out = y.shape
    known = {
        "the gradients accumulate from epoch to epoch: backward() adds into each .grad, so call "
        "optimizer.zero_grad() in every epoch": {"accumulate": True},
        "the parameters never move: the gradients are cleared between backward() and step(); "
        "call optimizer.zero_grad() before backward()": {"frozen": True},
        "losses[i] is recorded after epoch i's update; record each loss before "
        "optimizer.step()": {"after": True},
    }
    if n * out > 1:
        known[f"the loss is off by a factor of N = {n * out} (every element of y): use "
              "nn.MSELoss() with its default reduction, the mean"] = {"loss_scale": n * out}
    if out == 1 and n > 1:
        known[f"ŷ is squeezed to shape ({n},) and broadcasts against y of shape ({n}, 1), so the "
              "loss compares every prediction with every target: keep model(X) the shape of "
              "y"] = {"squeeze": True}
    return known


# ---------------------------------------------------------------- reading what came back


RAISE_HINTS = diagnoses.for_kata("05_loops/fit_module")


def value_of(outcome):
    return fit_loops.result_of(outcome, RAISE_HINTS, CONTRACT)


def read_losses(outcome, inputs, epochs):
    result = value_of(outcome)
    losses = fit_loops.read_numbers(result)
    if losses is None:
        checks.fail(f"{CALL} should return the list of losses", inputs=inputs, received=result,
                    contract=CONTRACT)
    if len(losses) != epochs:
        checks.fail(f"{CALL} returned {len(losses)} losses for {epochs} epochs: record exactly "
                    "one loss per epoch", inputs=inputs, contract=CONTRACT)
    return losses


def build(learner, class_args, seed=0):
    """The learner's own LinearRegression, built from a fixed seed so every run is the same."""
    learner.make(Scenario("manual_seed", {"seed": seed}))
    model = learner.call("LinearRegression", *class_args).value
    if not isinstance(model, Ref):
        checks.fail(f"LinearRegression{class_args} should build a model object",
                    received=model, contract=CONTRACT)
    info = learner.inspect(model)
    if "modules" not in info:
        checks.fail(f"LinearRegression{class_args} built a {model.type_name}, not an nn.Module: "
                    "subclass nn.Module and call super().__init__() first", contract=CONTRACT)
    return model, info


def the_linear(info, class_args):
    """The one nn.Linear inside the learner's model, and the prefix of its parameter names."""
    linears = [m for m in info["modules"] if "in_features" in m]
    hidden = info.get("unregistered") or []
    if not linears and hidden:
        where = hidden[0]
        checks.fail(f"LinearRegression{class_args} keeps its layer in a plain Python "
                    f"{where['container']} (self.{where['name']}): nn.Module does not look inside one, "
                    "so the layer is not registered and parameters() is empty; assign it directly "
                    "(self.linear = nn.Linear(input_dim, output_dim)) or use nn.ModuleList",
                    contract=CONTRACT)
    if len(linears) != 1:
        checks.fail(f"LinearRegression{class_args} holds {len(linears)} nn.Linear layers; it "
                    "should hold exactly one, e.g. self.linear = nn.Linear(input_dim, output_dim)",
                    contract=CONTRACT)
    name = linears[0]["name"]
    return linears[0], f"{name}." if name else ""


def params_of(info, prefix):
    return {name.removeprefix(prefix): seen.value.detach().clone()
            for name, seen in info["parameters"].items() if name.startswith(prefix)}


def check_fit(learner, model, init, forward, X, y, lr, epochs, *, prefix="", ref=None):
    """Train model learner-side, then compare its losses and its trained parameters; ``ref`` is
    train(forward, init, X, y, lr, epochs) when it was made beforehand."""
    inputs = {"X": X, "y": y, "lr": lr, "epochs": epochs}
    losses = read_losses(learner.call("fit_module", model, X, y, lr, epochs), inputs, epochs)
    after = learner.inspect(model)["parameters"]
    trained = {name: after[prefix + name].value for name in init if prefix + name in after}
    if len(trained) != len(init):
        checks.fail(f"{CALL}: the model lost some of its parameters; train them in place",
                    contract=CONTRACT)
    dtype = torch.float32

    def same(run):
        ref_params, ref_losses = run
        return checks.close(losses, ref_losses, dtype) and all(
            checks.close(trained[k], ref_params[k], dtype) for k in init)

    ref = train(forward, init, X, y, lr, epochs) if ref is None else ref
    if same(ref):
        return
    shown = {"inputs": inputs, "expected": ref[1], "received": losses, "contract": CONTRACT,
             "extra": "shown: the losses"}
    for label, keywords in mistakes(y).items():
        if same(train(forward, init, X, y, lr, epochs, **keywords)):
            checks.fail(f"{CALL}: {label}", **shown)
    if not all(math.isfinite(v) for v in losses) or (
            len(losses) > 1 and losses[-1] > losses[0] > ref[1][-1]):
        checks.fail(f"{CALL}: the loss grows instead of shrinking, so training diverges: check "
                    "that zero_grad() runs in every epoch and that lr is passed as given", **shown)
    if not checks.close(losses, ref[1], dtype):
        why = checks.explain_miss(torch.tensor(losses), torch.tensor(ref[1]), n=y.numel(),
                                  dtype=dtype)
        checks.fail(f"{CALL}: the losses are wrong: {why}", **shown)
    if all(torch.equal(trained[k], init[k].to(trained[k].dtype)) for k in init):
        checks.fail(f"{CALL}: the losses are right but the model's parameters did not change: "
                    "train the model you were given, in place (no copy of it, no new model)",
                    **shown)
    wrong = next(k for k in init if not checks.close(trained[k], ref[0][k], dtype))
    checks.fail(f"{CALL}: the losses are right but the trained parameter {prefix + wrong} is not",
                inputs=inputs, expected=ref[0][wrong], received=trained[wrong], contract=CONTRACT)


# ---------------------------------------------------------------- LinearRegression


@pytest.mark.points(1)
@pytest.mark.parametrize("dims", [(3, 2), (1, 1)], ids=["3-to-2", "1-to-1"])
def test_linear_regression_holds_one_linear(learner, dims):
    """LinearRegression holds exactly one nn.Linear of the right size"""
    _, info = build(learner, dims)
    linear, prefix = the_linear(info, dims)
    if (linear["in_features"], linear["out_features"]) != dims:
        checks.fail(f"LinearRegression{dims} holds nn.Linear({linear['in_features']}, "
                    f"{linear['out_features']}); it should be nn.Linear{dims}", contract=CONTRACT)
    weight = info["parameters"].get(f"{prefix}weight")
    if weight is None or tuple(weight.value.shape) != (dims[1], dims[0]):
        checks.fail(f"LinearRegression{dims} should have a weight of shape {(dims[1], dims[0])} "
                    "in its nn.Linear", contract=CONTRACT)


@pytest.mark.points(1)
def test_forward(learner):
    """forward(x) = x·Wᵀ + b, with a graph back to the parameters"""
    model, info = build(learner, (3, 2), seed=1)
    _, prefix = the_linear(info, (3, 2))
    ps = params_of(info, prefix)
    X = cases.randn(81, 5, 3, dtype=torch.float32)
    expected = linear_forward("")({k: v.double() for k, v in ps.items()}, X.double())
    checks.tensor(learner.call_ref(model, X), expected.float(), call="LinearRegression(3, 2)(X)",
                  inputs={"X": X, "weight": ps["weight"], "bias": ps.get("bias")},
                  contract=CONTRACT, differentiable=True)


# ---------------------------------------------------------------- fit_module


@pytest.mark.points(1)
def test_trains_learner_linear_regression(learner):
    """trains your LinearRegression(1, 1) on the seed data"""
    model, info = build(learner, (1, 1), seed=2)
    _, prefix = the_linear(info, (1, 1))
    init = params_of(info, prefix)
    expected_init, expected_ref = SEED_CASE
    same_init = init.keys() == expected_init.keys() and all(
        init[k].dtype == v.dtype and torch.equal(init[k], v) for k, v in expected_init.items())
    check_fit(learner, model, init, linear_forward(""), SEED_X, SEED_Y, 0.01, 100, prefix=prefix,
              ref=expected_ref if same_init else None)


def _seed_case():
    """The parameters nn.Linear(1, 1) draws after torch.manual_seed(2), as the contract's
    LinearRegression(1, 1) does, and their run: the reference of every model made so; a model
    made otherwise gets its own, in the test."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(2)
        layer = torch.nn.Linear(1, 1)
    init = {name: p.detach().clone() for name, p in layer.named_parameters()}
    return init, train(linear_forward(""), init, SEED_X, SEED_Y, 0.01, 100)


SEED_CASE = _seed_case()  # at collection, like LINEAR_LAYER_CASES


def trusted_linear(seed, n_in, n_out, dtype):
    weight = cases.randn(seed, n_out, n_in, scale=0.5)
    bias = cases.randn(seed + 1, n_out, scale=0.5)
    scenario = Scenario("linear_module", {"weight": weight.tolist(), "bias": bias.tolist(),
                                          "dtype": cases.dtype_id(dtype)})
    return scenario, {"weight": weight.to(dtype), "bias": bias.to(dtype)}


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_trains_a_linear_layer(learner, dtype):
    """trains a bare nn.Linear(3, 2) in place"""
    scenario, init, X, y, ref = LINEAR_LAYER_CASES[dtype]
    check_fit(learner, learner.make(scenario), init, linear_forward(""), X, y, 0.1, 30, ref=ref)


def _linear_layer_case(dtype):
    scenario, init = trusted_linear(91, 3, 2, dtype)
    X = cases.randn(93, 7, 3, dtype=dtype)
    true_w = torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.8, -1.2]], dtype=torch.float64)
    y = (X.double() @ true_w.T + 0.4 + cases.randn(94, 7, 2, scale=0.1)).to(dtype)
    return scenario, init, X, y, train(linear_forward(""), init, X, y, 0.1, 30)


# The references of the models the judge makes depend on constants only: trained once at
# collection, in the grader, so each judge forked from it shares them
LINEAR_LAYER_CASES = {dtype: _linear_layer_case(dtype) for dtype in cases.DTYPES}


@pytest.mark.points(1)
def test_trains_any_module(learner):
    """trains any nn.Module: a small tanh network"""
    scenario, init, X, y, ref = TANH_CASE
    check_fit(learner, learner.make(scenario), init, tanh_forward, X, y, 0.2, 30, ref=ref)


def _tanh_case():
    w1, b1 = cases.randn(101, 4, 2, scale=0.7), cases.randn(102, 4, scale=0.3)
    w2, b2 = cases.randn(103, 1, 4, scale=0.7), cases.randn(104, 1, scale=0.3)
    scenario = Scenario("tanh_net", {"w1": w1.tolist(), "b1": b1.tolist(),
                                     "w2": w2.tolist(), "b2": b2.tolist()})
    init = {"0.weight": w1.float(), "0.bias": b1.float(), "2.weight": w2.float(),
            "2.bias": b2.float()}
    X = cases.uniform(105, 8, 2, low=-2.0, high=2.0, dtype=torch.float32)
    y = torch.sin(X.double().sum(dim=1, keepdim=True)).float()
    return scenario, init, X, y, train(tanh_forward, init, X, y, 0.2, 30)


TANH_CASE = _tanh_case()  # at collection, like LINEAR_LAYER_CASES


@pytest.mark.points(1)
def test_one_sample_large_values(learner):
    """one sample with large and negative values"""
    scenario, init, X, y, ref = LARGE_CASE
    check_fit(learner, learner.make(scenario), init, linear_forward(""), X, y, 1e-6, 30, ref=ref)


def _large_case():
    scenario, init = trusted_linear(111, 2, 1, torch.float32)
    X = torch.tensor([[-300.0, 200.0]])
    y = torch.tensor([[450.0]])
    return scenario, init, X, y, train(linear_forward(""), init, X, y, 1e-6, 30)


LARGE_CASE = _large_case()  # at collection, like LINEAR_LAYER_CASES


# ---------------------------------------------------------------- types and inputs


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """returns a list of Python floats, one per epoch"""
    scenario, _ = trusted_linear(121, 1, 1, torch.float32)
    inputs = {"X": SEED_X, "y": SEED_Y, "lr": 0.01, "epochs": 5}
    losses = value_of(learner.call("fit_module", learner.make(scenario), SEED_X, SEED_Y, 0.01, 5))
    fit_loops.check_python_floats(
        losses, 5, call=CALL, inputs=inputs, contract=CONTRACT,
        not_a_list=f"{CALL} should return a list of losses",
        tensor_fix="append loss.item(): a tensor would also keep its whole graph alive")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves X and y as they were"""
    scenario, _ = trusted_linear(131, 3, 2, torch.float32)
    X = cases.randn(133, 6, 3, dtype=torch.float32)
    y = cases.randn(134, 6, 2, dtype=torch.float32)
    outcome = learner.call("fit_module", learner.make(scenario), X, y, 0.1, 5)
    value_of(outcome)
    checks.unchanged(X, outcome.args[1], name="X", call="fit_module", contract=CONTRACT)
    checks.unchanged(y, outcome.args[2], name="y", call="fit_module", contract=CONTRACT)
