"""Hidden suite for 11_networks/mlp.

The reference is the contract's nn.Sequential, built in the judge after the same torch.manual_seed
(inside torch.random.fork_rng, so the judge's own generator is left alone), at collection.
"""

import functools

import pytest
import torch
from torch import nn

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import Ref, Scenario, TensorSeen
from grader.suites.shared import fit_loops

CONTRACT = ("MLP(sizes): sizes = [d_in, h1, …, d_out], at least two, all ≥ 1, else ValueError; one "
            "nn.Linear(sizes[i], sizes[i+1]) per pair, created in order, registered, nothing else "
            "drawn from torch's generator; ReLU between, none after the last; after the same "
            "torch.manual_seed, the parameters and outputs of nn.Sequential(Linear, ReLU, …, Linear)")

PLAIN_LIST = ("nn.Module does not look inside one, so the layers are not registered: "
              "parameters() is empty, and .double(), state_dict() and optimizers never see them. "
              "Keep them in nn.ModuleList([...]) or nn.Sequential(...), or assign each to an "
              "attribute")
RAISE_HINTS = {
    "before Module.__init__() call": "call super().__init__() first in MLP.__init__",
    "negative dimension": "check the sizes first, and raise ValueError when one is below 1",
    "mat1 and mat2 shapes cannot be multiplied": "each nn.Linear is nn.Linear(in_features, "
    "out_features): nn.Linear(sizes[i], sizes[i + 1])",
    "mat1 and mat2 must have the same dtype": "the layers must follow .double(): register them "
    "(nn.ModuleList or nn.Sequential), never in a plain Python list",
}


def sequential(seed: int, sizes: list[int], *, reverse: bool = False) -> nn.Sequential:
    """The contract's nn.Sequential after torch.manual_seed(seed); ``reverse`` creates its
    Linears last to first (a classic way to draw the right numbers into the wrong layers)."""
    with torch.random.fork_rng(devices=[]):
        if not reverse:
            return scenarios.judge_side(Scenario("net_seeded_mlp", {"seed": seed, "sizes": sizes}))
        torch.manual_seed(seed)
        pairs = list(zip(sizes, sizes[1:], strict=False))
        made = {i: nn.Linear(*pairs[i]) for i in reversed(range(len(pairs)))}
        layers: list[nn.Module] = []
        for i in range(len(pairs)):
            layers += [nn.ReLU(), made[i]] if i else [made[i]]
        return nn.Sequential(*layers)


def params(module: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in module.parameters()]


def forward(ps: list[torch.Tensor], x: torch.Tensor, *, last_relu: bool = False,
            hidden_relu: bool = True) -> torch.Tensor:
    """The network on parameters W0, b0, W1, b1, … in float64."""
    x = x.double()
    pairs = list(zip(ps[::2], ps[1::2], strict=True))
    for i, (w, b) in enumerate(pairs):
        x = x @ w.double().T + b.double()
        if (i < len(pairs) - 1 and hidden_relu) or (i == len(pairs) - 1 and last_relu):
            x = torch.relu(x)
    return x


CASES = {"2-8-1": (0, [2, 8, 1]), "3-5-4-2": (1, [3, 5, 4, 2]), "4-3": (2, [4, 3]),
         "2-16-3": (3, [2, 16, 3])}
REFERENCES = {name: params(sequential(seed, sizes)) for name, (seed, sizes) in CASES.items()}
INPUTS = {name: cases.randn(100 + seed, 6, sizes[0], dtype=torch.float32)
          for name, (seed, sizes) in CASES.items()}


# ---------------------------------------------------------------- building the learner's MLP


def build(learner, sizes: list[int], seed: int = 0) -> tuple[Ref, dict]:
    """MLP(sizes) made right after torch.manual_seed(seed), and its inspection; fails with the
    likely mistake when it holds no registered nn.Linear."""
    learner.make(Scenario("manual_seed", {"seed": seed}))
    model = fit_loops.result_of(learner.call("MLP", list(sizes)), RAISE_HINTS, CONTRACT)
    if not isinstance(model, Ref):
        checks.fail(f"MLP({sizes}) should build a model object", received=model, contract=CONTRACT)
    info = learner.inspect(model)
    if "modules" not in info:
        checks.fail(f"MLP({sizes}) built a {model.type_name}, not an nn.Module: subclass "
                    "nn.Module and call super().__init__() first", contract=CONTRACT)
    linears = [m for m in info["modules"] if "in_features" in m]
    if not linears or not info["parameters"]:
        hidden = info.get("unregistered") or []
        if hidden:
            where = hidden[0]
            checks.fail(f"MLP({sizes}) keeps its layers in a plain Python {where['container']} "
                        f"(self.{where['name']}): " + PLAIN_LIST,
                        contract=CONTRACT)
        checks.fail(f"MLP({sizes}) has no registered nn.Linear (parameters() is empty): layers "
                    "kept in a plain Python list or dict are invisible to nn.Module; use "
                    "nn.ModuleList or nn.Sequential", contract=CONTRACT)
    return model, info


@functools.cache
def reversed_params(name: str) -> list[torch.Tensor]:
    """The parameters of a case's Sequential made last to first: a diagnosis, made on a miss."""
    seed, sizes = CASES[name]
    return params(sequential(seed, sizes, reverse=True))


def built(learner, name: str) -> tuple[Ref, dict]:
    """build() of a case: one per submission for the tests that inspect the model or run it
    forward, which leave it as it was (the tests that change a model build their own)."""
    seed, sizes = CASES[name]
    return learner.shared(("built", name), lambda: build(learner, sizes, seed))


def check_layers(info: dict, sizes: list[int]) -> list[torch.Tensor]:
    """One nn.Linear(sizes[i], sizes[i+1]) per pair, in order, and parameters() W0, b0, W1, b1, …
    of their shapes; returns the parameters' values."""
    linears = [(m["in_features"], m["out_features"]) for m in info["modules"] if "in_features" in m]
    wanted = list(zip(sizes, sizes[1:], strict=False))
    call = f"MLP({sizes})"
    if len(linears) != len(wanted):
        checks.fail(f"{call} holds {len(linears)} nn.Linear layers; it should hold {len(wanted)}, "
                    "one per consecutive pair of sizes", expected=wanted, received=linears,
                    contract=CONTRACT)
    if linears != wanted:
        hint = (": nn.Linear takes (in_features, out_features), so the layer from sizes[i] to "
                "sizes[i + 1] is nn.Linear(sizes[i], sizes[i + 1])"
                if linears == [(b, a) for a, b in wanted] else
                ": register them first to last" if linears == wanted[::-1] else "")
        checks.fail(f"{call} holds nn.Linear layers of the wrong sizes{hint}",
                    expected=[f"nn.Linear{p}" for p in wanted],
                    received=[f"nn.Linear{p}" for p in linears], contract=CONTRACT)
    seen = list(info["parameters"].values())
    shapes = [tuple(s.value.shape) for s in seen]
    expected_shapes = [shape for n_in, n_out in wanted for shape in ((n_out, n_in), (n_out,))]
    if shapes != expected_shapes:
        checks.fail(f"{call}.parameters() should yield W0, b0, W1, b1, … of shapes "
                    f"{expected_shapes}, in layer order; it yields {shapes}: keep exactly the "
                    "Linears' weights and biases, registered first to last", contract=CONTRACT)
    return [s.value for s in seen]


# ---------------------------------------------------------------- the layers


@pytest.mark.points(1)
@pytest.mark.parametrize("name", ["2-8-1", "3-5-4-2", "4-3"])
def test_registered_layers(learner, name):
    """one registered nn.Linear per pair of sizes, parameters() in layer order"""
    _, info = built(learner, name)
    check_layers(info, CASES[name][1])


@pytest.mark.points(1)
@pytest.mark.parametrize("name", ["2-8-1", "3-5-4-2", "4-3"])
def test_same_parameters_as_sequential(learner, name):
    """after the same torch.manual_seed, the parameters of the contract's nn.Sequential"""
    seed, sizes = CASES[name]
    _, info = built(learner, name)
    got = check_layers(info, sizes)
    want = REFERENCES[name]
    if all(torch.equal(g, w) for g, w in zip(got, want, strict=True)):
        return
    call = f"MLP({sizes}) after torch.manual_seed({seed})"
    shown = {"inputs": f"sizes = {sizes}, seed {seed}", "contract": CONTRACT}
    if all(torch.equal(g, w) for g, w in zip(got, reversed_params(name), strict=True)):
        checks.fail(f"{call}: the layers were created last to first, so each drew another's "
                    "numbers: create nn.Linear(sizes[i], sizes[i + 1]) for i = 0, 1, … in order",
                    **shown)
    wrong = next(i for i, (g, w) in enumerate(zip(got, want, strict=True)) if not torch.equal(g, w))
    label = f"{'W' if wrong % 2 == 0 else 'b'}{wrong // 2}"
    checks.fail(f"{call}: {label} is not what nn.Linear draws after the seed. Create the Linears "
                "in order, first to last, and draw nothing else from torch's random generator "
                "(no torch.randn, no re-initialisation, no extra or throw-away layers)",
                expected=want[wrong], received=got[wrong], **shown)


# ---------------------------------------------------------------- forward


def check_forward(outcome, ps: list[torch.Tensor], X: torch.Tensor, sizes: list[int],
                  dtype: torch.dtype) -> None:
    call = f"MLP({sizes})(X)"
    expected = forward(ps, X).to(dtype)
    known = {"a ReLU after the last layer: the last Linear's outputs must pass unchanged "
             "(they are logits or regression values, negative ones too)": forward(ps, X, last_relu=True),
             "no ReLU between the layers: put torch.relu (or nn.ReLU()) after every Linear but "
             "the last": forward(ps, X, hidden_relu=False)}
    if len(sizes) == 2:
        known.pop(next(k for k in known if k.startswith("no ReLU")))
    value = fit_loops.result_of(outcome, RAISE_HINTS, CONTRACT)
    checks.tensor(value, expected, call=call, inputs={"X": X}, contract=CONTRACT,
                  differentiable=True, known=known)


@pytest.mark.points(1)
@pytest.mark.parametrize("name", ["2-8-1", "3-5-4-2", "4-3", "2-16-3"])
def test_forward(learner, name):
    """forward: Linear, ReLU, …, Linear, no ReLU after the last (outputs may be negative), differentiable"""
    sizes = CASES[name][1]
    model, info = built(learner, name)
    ps = check_layers(info, sizes)
    X = INPUTS[name]
    check_forward(learner.call_ref(model, X), ps, X, sizes, torch.float32)


@pytest.mark.points(1)
def test_double(learner):
    """.double() reaches every layer: float64 parameters and outputs"""
    seed, sizes = CASES["3-5-4-2"]
    model, _ = build(learner, sizes, seed)
    fit_loops.result_of(learner.call_ref(model, attr="double"), RAISE_HINTS, CONTRACT)
    info = learner.inspect(model)
    dtypes = {str(s.value.dtype).removeprefix("torch.") for s in info["parameters"].values()}
    if dtypes != {"float64"}:
        checks.fail(f"after MLP({sizes}).double() the parameters are {sorted(dtypes)}; all should "
                    "be float64: .double() converts registered parameters only", contract=CONTRACT)
    ps = check_layers(info, sizes)
    X = INPUTS["3-5-4-2"].double()
    check_forward(learner.call_ref(model, X), ps, X, sizes, torch.float64)


@pytest.mark.points(1)
def test_state_dict(learner):
    """state_dict() holds every weight and bias, in layer order"""
    seed, sizes = CASES["3-5-4-2"]
    model, info = build(learner, sizes, seed)
    ps = check_layers(info, sizes)
    listing = learner.make(Scenario("net_state_dict"))
    entries = fit_loops.result_of(learner.call_ref(listing, model), RAISE_HINTS, CONTRACT)
    if not isinstance(entries, list) or not all(
            isinstance(e, list) and len(e) == 2 and isinstance(e[1], TensorSeen) for e in entries):
        checks.fail(f"MLP({sizes}).state_dict() could not be read", contract=CONTRACT)
    names = [e[0] for e in entries]
    if len(entries) != len(ps):
        checks.fail(f"MLP({sizes}).state_dict() has {len(entries)} entries {names}; it should have "
                    f"{len(ps)}: each Linear's weight and bias, and nothing else", contract=CONTRACT)
    for (key, seen), p in zip(entries, ps, strict=True):
        if not torch.equal(seen.value, p):
            checks.fail(f"MLP({sizes}).state_dict()[{key!r}] is not the parameter in its place: "
                        "the state_dict should list W0, b0, W1, b1, … in layer order",
                        expected=p, received=seen.value, contract=CONTRACT)


@pytest.mark.points(1)
def test_optimizer_step(learner):
    """torch.optim.SGD(model.parameters()) trains every layer"""
    seed, sizes = CASES["2-16-3"]
    model, info = build(learner, sizes, seed)
    before = check_layers(info, sizes)
    X = INPUTS["2-16-3"]
    stepper = learner.make(Scenario("net_sgd_step"))
    fit_loops.result_of(learner.call_ref(stepper, model, X, 0.1), {
        "empty parameter list": "the optimizer got no parameters: are the layers in a plain "
        "Python list? " + PLAIN_LIST,
        **RAISE_HINTS}, CONTRACT)
    after = [s.value for s in learner.inspect(model)["parameters"].values()]
    leaves = [p.double().requires_grad_(True) for p in before]
    loss = (forward(leaves, X) ** 2).mean()
    grads = torch.autograd.grad(loss, leaves)
    for i, (p, g, got) in enumerate(zip(before, grads, after, strict=True)):
        want = (p.double() - 0.1 * g).float()
        label = f"{'W' if i % 2 == 0 else 'b'}{i // 2}"
        if torch.equal(got, p) and not torch.equal(want, p):
            checks.fail(f"one SGD step on MLP({sizes}) left {label} unchanged: no gradient reached "
                        "it (is the forward pass differentiable, every layer registered?)",
                        contract=CONTRACT)
        checks.tensor(got, want, call=f"{label} after one SGD step (lr 0.1) on mean(model(X) ** 2)",
                      inputs={"X": X}, contract=CONTRACT)


# ---------------------------------------------------------------- bad sizes


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [0, 4], [3, -2]],
                         ids=["one-size", "empty", "zero-hidden", "zero-input", "negative"])
def test_bad_sizes_raise(learner, sizes):
    """ValueError for fewer than two sizes or a size below 1"""
    outcome = learner.call("MLP", sizes)
    checks.raises(outcome, "ValueError", call=f"MLP({sizes})", inputs=f"sizes = {sizes}",
                  contract=CONTRACT, why="an MLP needs at least two sizes, all at least 1")
