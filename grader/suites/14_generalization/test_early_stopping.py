"""Hidden suite for 14_generalization/early_stopping."""

import math
from typing import Any

import pytest
import torch

from grader.grading import cases, checks
from grader.sandbox import scenarios
from grader.sandbox.codec import NumpyScalarSeen, Ref, Scenario, TensorSeen
from grader.sandbox.scenarios.topic_14 import scripted_state, scripted_steps

CALL = "fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience)"
CONTRACT = ("fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience) -> (best_state, "
            "best_epoch, losses): each epoch train_epoch() then float(val_loss()); epoch 0 is the "
            "best, a later one only with a strictly lower loss (a tie or nan is no improvement); stop "
            "after max_epochs or once `patience` epochs in a row have not improved; best_state a deep "
            "copy of model.state_dict() right after the best epoch's validation (no tensor shared "
            "with the model); the model left holding the best weights; ValueError if max_epochs < 1 "
            "or patience < 1")
SCRIPT_SEED = 7
NAN, INF = math.nan, math.inf
DEEPCOPY = ("model.state_dict() returns the model's live tensors, which later epochs keep "
            "changing: save copy.deepcopy(model.state_dict())")


# ---------------------------------------------------------------- the judge's replay


def replay(losses: list[float], max_epochs: int, patience: int, *, improves: str = "strict",
           counter: str = "in_a_row", late: bool = False, inf_start: bool = False,
           never_stops: bool = False) -> tuple[int, int | None]:
    """(epochs run, best epoch) as the contract has it; keywords replay the classic mistakes."""
    best, best_epoch, waited, previous = INF, None, 0, None
    for epoch in range(min(max_epochs, len(losses))):
        loss = losses[epoch]
        if epoch == 0 and not inf_start:
            better = True
        elif improves == "tie":
            better = loss <= best
        elif improves == "nan":
            better = not loss >= best
        else:
            better = loss < best
        if better:
            best, best_epoch = loss, epoch
        if counter == "total":
            waited += 0 if better else 1
        elif counter == "previous":
            waited = 0 if previous is None or loss < previous else waited + 1
        else:
            waited = 0 if better else waited + 1
        previous = loss
        if not never_stops and waited >= patience + (1 if late else 0):
            return epoch + 1, best_epoch
    return min(max_epochs, len(losses)), best_epoch


MISTAKES = {
    "a tie counted as an improvement (`<=`): an epoch becomes the best only with a loss strictly "
    "lower than the best so far": {"improves": "tie"},
    "nan counted as an improvement: nan compares False with everything, so write the test as "
    "`loss < best` (true only for a real improvement), not `not loss >= best`": {"improves": "nan"},
    "the patience counter is not reset when an epoch improves: count the epochs without "
    "improvement in a row, back to 0 at every new best": {"counter": "total"},
    "the patience counter is reset when a loss beats the previous epoch's; it must be reset only "
    "by a new best (a loss lower than the best so far)": {"counter": "previous"},
    "training stopped one epoch late: stop as soon as `patience` epochs in a row have not "
    "improved (waited >= patience, not waited > patience)": {"late": True},
    "epoch 0 had to beat a starting best of infinity: epoch 0 is the best whatever its loss (an inf "
    "loss included), so save its state and its epoch before comparing anything": {"inf_start": True},
    "training never stopped early: stop as soon as `patience` epochs in a row have not improved":
        {"never_stops": True},
}


# ---------------------------------------------------------------- running a case


def spec_of(seed: int, dtype) -> Scenario:
    return Scenario("t14_net", {"seed": seed, "sizes": [2, 3, 1], "batchnorm": True,
                                "dtype": cases.dtype_id(dtype), "tag": f"early-{seed}"})


class Run:
    """A model and its scripted run built learner-side, the kata called on them, and the probes
    read afterwards (each made at most once: the run is over, what they read no longer changes)."""

    def __init__(self, learner, losses, max_epochs: int, patience: int, *, seed: int,
                 dtype=torch.float32, as_tensor: bool = False) -> None:
        self.learner = learner
        self.model, self.script, train_epoch, val_loss = learner.make(Scenario("t14_scripted_run", {
            "net_params": spec_of(seed, dtype).params, "losses": list(losses),
            "limit": max(max_epochs, 0), "seed": SCRIPT_SEED, "as_tensor": as_tensor}))
        self.outcome = learner.call("fit_early_stopping", self.model, train_epoch, val_loss,
                                    max_epochs, patience)
        self.probes: dict[str, Any] = {}

    def probe(self, name: str, params: dict) -> Any:
        if name not in self.probes:
            self.probes[name] = self.learner.make(Scenario(name, params))
        return self.probes[name]

    def best_state(self, seen):
        """best_state as a dict of what was seen: an OrderedDict (state_dict()'s type) crosses as a
        Ref, read here through a probe; a plain dict crosses as it is. Anything else as it came."""
        if isinstance(seen, Ref):
            probe = self.probe("t14_as_dict", {"obj": seen})
            return probe["items"] if "items" in probe else seen
        return seen

    def model_state(self) -> dict:
        return self.probe("t14_model_state", {"model": self.model})["state"]

    def log(self) -> list:
        return self.probe("t14_script_log", {"script": self.script})


def states(seed: int, dtype, epochs: int) -> list[dict[str, torch.Tensor]]:
    """The model's state_dict after each scripted epoch, computed judge-side."""
    model = scenarios.judge_side(spec_of(seed, dtype))
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    steps = scripted_steps(SCRIPT_SEED, initial)
    return [scripted_state(SCRIPT_SEED, initial, epoch, steps) for epoch in range(epochs)]


def inputs_of(losses, max_epochs, patience) -> str:
    shown = ", ".join(checks.fmt(float(v)) for v in losses)
    return (f"val_loss() gives {shown} in epochs 0, 1, 2, …; max_epochs = {max_epochs}, "
            f"patience = {patience}")


NEVER_SAVED = ("best_state was never saved, so there was nothing to load: epoch 0 is the best "
               "whatever its loss (an inf loss included), so save copy.deepcopy(model.state_dict()) "
               "at epoch 0 before comparing anything")
RAISE_HINTS = {
    "Missing key(s) in state_dict": NEVER_SAVED,
    "NoneType": NEVER_SAVED,
    "more than max_epochs": "run at most max_epochs epochs",
}


def unpack(outcome, inputs: str) -> tuple:
    raised = outcome.raised
    if raised is not None and not raised.is_a("NotImplementedError"):
        for needle, hint in RAISE_HINTS.items():
            if needle in raised.message:
                checks.fail(f"{CALL} raised {raised.describe()}: {hint}", inputs=inputs,
                            contract=CONTRACT)
    value = outcome.value
    if not isinstance(value, tuple | list) or len(value) != 3:
        checks.fail(f"{CALL} should return (best_state, best_epoch, losses); it returned "
                    f"{checks.fmt(value)}", inputs=inputs, contract=CONTRACT)
    return tuple(value)


def read_losses(seen, inputs: str) -> list[float]:
    numbers = ([checks.read_number(v, arrays=False) for v in seen]
               if isinstance(seen, list | tuple) else None)
    if numbers is None or any(v is None for v in numbers):
        checks.fail(f"{CALL}: losses should be a list of numbers, one per epoch run; got "
                    f"{checks.fmt(seen)}", inputs=inputs, contract=CONTRACT)
    return numbers


def read_epoch(seen, inputs: str) -> int:
    if isinstance(seen, NumpyScalarSeen | TensorSeen) or type(seen) is float:
        checks.fail(f"{CALL}: best_epoch should be a Python int; it is {checks.fmt(seen)}",
                    inputs=inputs, contract=CONTRACT)
    if type(seen) is not int:
        checks.fail(f"{CALL}: best_epoch should be the best epoch's number, a Python int; it is "
                    f"{checks.fmt(seen)}", inputs=inputs, contract=CONTRACT)
    return seen


def same_number(a: float, b: float) -> bool:
    if math.isnan(b) or math.isinf(b):
        return math.isnan(a) if math.isnan(b) else a == b
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def same_numbers(got: list[float], want: list[float]) -> bool:
    return len(got) == len(want) and all(same_number(a, b) for a, b in zip(got, want, strict=True))


def check_stopping(outcome, losses, max_epochs: int, patience: int) -> None:
    """losses and best_epoch as the contract's rule gives them, the classic mistakes named."""
    inputs = inputs_of(losses, max_epochs, patience)
    _, best_seen, losses_seen = unpack(outcome, inputs)
    got = read_losses(losses_seen, inputs)
    n, best = replay(losses, max_epochs, patience)
    details = {"inputs": inputs, "contract": CONTRACT}
    if same_numbers(got, [100.0 + e for e in range(len(got))]):
        checks.fail(f"{CALL}: losses holds what train_epoch() returned; record the validation "
                    "loss of each epoch, float(val_loss())", **details)
    if len(got) == n and not same_numbers(got, losses[:n]):
        checks.fail(f"{CALL}: losses should be the validation losses of the epochs run, "
                    "float(val_loss()) once per epoch after train_epoch()", expected=losses[:n],
                    received=got, **details)
    best_got = read_epoch(best_seen, inputs)
    if len(got) == n and best_got == best:
        return
    for label, keywords in MISTAKES.items():
        if replay(losses, max_epochs, patience, **keywords) == (len(got), best_got):
            checks.fail(f"{CALL}: {label}", expected=f"{n} epochs run, best_epoch {best}",
                        received=f"{len(got)} epochs run, best_epoch {best_got}", **details)
    if len(got) == n and best_got == best + 1:
        checks.fail(f"{CALL}: best_epoch is counted from 1; count epochs from 0", **details)
    if len(got) != n:
        checks.fail(f"{CALL}: {len(got)} epochs ran; by the rule, training stops after {n}: stop "
                    "after max_epochs, or as soon as `patience` epochs in a row have not improved "
                    "on the best loss", expected=losses[:n], received=got,
                    extra="shown: the losses", **details)
    checks.fail(f"{CALL}: best_epoch is {best_got}; the best epoch is {best}, the first with the "
                "lowest loss (an epoch becomes the best only by beating the best so far)", **details)


def read_state(seen, inputs: str, keys: list[str]) -> dict:
    if not isinstance(seen, dict):
        checks.fail(f"{CALL}: best_state should be a dict like model.state_dict(); it is "
                    f"{checks.fmt(seen)}", inputs=inputs, contract=CONTRACT)
    missing = [k for k in keys if k not in seen]
    if missing:
        buffers = [k for k in missing if "running" in k or "num_batches" in k]
        why = (" (the buffers, like BatchNorm's running statistics, are missing: named_parameters() "
               "lists only the parameters; copy model.state_dict())" if buffers else "")
        checks.fail(f"{CALL}: best_state lacks {', '.join(missing)}{why}", inputs=inputs,
                    contract=CONTRACT)
    for key in keys:
        if not isinstance(seen[key], TensorSeen):
            checks.fail(f"{CALL}: best_state[{key!r}] should be a tensor; it is {checks.fmt(seen[key])}",
                        inputs=inputs, contract=CONTRACT)
    return seen


def matches(state: dict, expected: dict[str, torch.Tensor]) -> bool:
    return all(isinstance(state.get(k), TensorSeen) and state[k].value.dtype == v.dtype
               and torch.equal(state[k].value, v) for k, v in expected.items())


def shared_keys(best_state: dict, live: dict) -> list[str]:
    """Entries of best_state whose storage is one of the model's live tensors."""
    pointers = {seen.storage for seen in live.values() if isinstance(seen, TensorSeen) and seen.storage}
    return [k for k, seen in best_state.items() if isinstance(seen, TensorSeen) and seen.storage in pointers]


# ---------------------------------------------------------------- the stopping rule


SEED_LOSSES = [5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.0, 1.5]
SEED_RUN_SEED = 3  # the model of the seed's run
# the model's state_dict after each epoch of the seed's run and of the tests' own runs
AFTER = {(SEED_RUN_SEED, torch.float32): states(SEED_RUN_SEED, torch.float32, 6),
         (4, torch.float64): states(4, torch.float64, 6), (6, torch.float32): states(6, torch.float32, 4)}


@pytest.fixture(scope="module")
def seed_run(learner):
    """The seed's run, made by the first test that asks for it: five tests judge that one call
    (its losses, its best_state, the model after it, the calls it made), once per submission."""
    return lambda: learner.shared("seed run", lambda: Run(learner, SEED_LOSSES, 8, 3, seed=SEED_RUN_SEED))


@pytest.mark.points(1)
def test_seed(seed_run):
    """seed: losses 5, 4, 3, 3.5, 3.2, 3.1, 2, … with patience 3 stop after epoch 5, best epoch 2"""
    check_stopping(seed_run().outcome, SEED_LOSSES, 8, 3)


STOPPING = [
    pytest.param([3.0, 2.0, 2.0, 2.0, 1.5, 1.0], 6, 2, id="a-tie-is-no-improvement"),
    pytest.param([4.0, 3.0, NAN, 2.5, NAN, NAN, 1.0], 7, 2, id="nan-is-no-improvement"),
    pytest.param([5.0, 5.5, 4.0, 4.5, 4.2, 3.0, 3.3, 3.1, 3.2, 2.9], 10, 3, id="patience-in-a-row"),
    pytest.param([3.0, 2.0, 2.5, 1.0], 4, 1, id="patience-1"),
    pytest.param([5.0, 4.0, 3.0, 2.0, 1.0, 0.5], 4, 2, id="max-epochs-reached"),
    pytest.param([INF, INF, INF, INF, 1.0], 5, 2, id="epoch-0-is-the-best-even-at-inf"),
    pytest.param([2.0], 1, 5, id="one-epoch"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("losses, max_epochs, patience", STOPPING)
def test_stopping_rule(learner, losses, max_epochs, patience):
    """the epochs run and the best epoch follow the rule: strictly lower, patience in a row"""
    check_stopping(Run(learner, losses, max_epochs, patience, seed=2).outcome, losses, max_epochs,
                   patience)


# ---------------------------------------------------------------- best_state and the model


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_best_state_holds_the_best_weights(learner, seed_run, dtype):
    """best_state holds the weights right after the best epoch, not the last one"""
    seed = 3 if dtype == torch.float32 else 4
    done = (seed_run() if dtype == torch.float32
            else Run(learner, SEED_LOSSES, 8, 3, seed=seed, dtype=dtype))
    inputs = inputs_of(SEED_LOSSES, 8, 3) + " (best epoch 2, stops after epoch 5)"
    best_seen = done.best_state(unpack(done.outcome, inputs)[0])
    after = AFTER[seed, dtype]
    best_state = read_state(best_seen, inputs, list(after[2]))
    if matches(best_state, after[2]):
        return
    details = {"inputs": inputs, "contract": CONTRACT}
    if matches(best_state, after[5]):
        if shared_keys(best_state, done.model_state()):
            checks.fail(f"{CALL}: best_state holds the weights of the last epoch, as it shares its "
                        f"tensors with the model: {DEEPCOPY}", **details)
        checks.fail(f"{CALL}: best_state holds the weights after the last epoch run (5), not after "
                    "the best epoch (2): save it when an epoch becomes the best", **details)
    if matches(best_state, after[1]):
        checks.fail(f"{CALL}: best_state holds the weights from before the best epoch's training: "
                    "save it right after that epoch's train_epoch() and validation", **details)
    key = next(k for k, v in after[2].items() if not (best_state[k].value.dtype == v.dtype
                                                       and torch.equal(best_state[k].value, v)))
    checks.fail(f"{CALL}: best_state[{key!r}] is not the model's {key} after the best epoch",
                expected=after[2][key], received=best_state[key].value, **details)


@pytest.mark.points(1)
@pytest.mark.parametrize("losses, max_epochs, patience, best",
                         [(SEED_LOSSES, 8, 3, 2), ([3.0, 2.0, 1.0], 3, 2, 2)],
                         ids=["best-before-the-end", "best-at-the-end"])
def test_best_state_shares_no_tensor(learner, seed_run, losses, max_epochs, patience, best):
    """best_state is a deep copy: none of its tensors is one of the model's"""
    done = (seed_run() if losses is SEED_LOSSES
            else Run(learner, losses, max_epochs, patience, seed=5))
    inputs = inputs_of(losses, max_epochs, patience)
    best_seen = done.best_state(unpack(done.outcome, inputs)[0])
    if not isinstance(best_seen, dict):
        checks.fail(f"{CALL}: best_state should be a dict like model.state_dict(); it is "
                    f"{checks.fmt(best_seen)}", inputs=inputs, contract=CONTRACT)
    shared = shared_keys(best_seen, done.model_state())
    if shared:
        checks.fail(f"{CALL}: best_state shares {', '.join(shared)} with the model: {DEEPCOPY}",
                    inputs=inputs, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("losses, max_epochs, patience, best, last",
                         [(SEED_LOSSES, 8, 3, 2, 5), ([4.0, 1.0, 2.0, 3.0], 4, 5, 1, 3)],
                         ids=["seed", "max-epochs-reached"])
def test_model_holds_the_best_weights(learner, seed_run, losses, max_epochs, patience, best, last):
    """the model is left holding the best epoch's weights (load_state_dict(best_state))"""
    seed = SEED_RUN_SEED if losses is SEED_LOSSES else 6
    done = (seed_run() if losses is SEED_LOSSES
            else Run(learner, losses, max_epochs, patience, seed=seed))
    inputs = inputs_of(losses, max_epochs, patience) + f" (best epoch {best}, last {last})"
    unpack(done.outcome, inputs)
    after = AFTER[seed, torch.float32]
    live = done.model_state()
    if matches(live, after[best]):
        return
    details = {"inputs": inputs, "contract": CONTRACT}
    if matches(live, after[last]):
        checks.fail(f"{CALL}: the model still holds the weights of the last epoch run: finish with "
                    "model.load_state_dict(best_state) (with best_state a deep copy: loading "
                    "model.state_dict() back into the model changes nothing)", **details)
    checks.fail(f"{CALL}: the model does not hold the best epoch's weights at the end: finish with "
                "model.load_state_dict(best_state)", **details)


# ---------------------------------------------------------------- rules


@pytest.mark.points(1)
@pytest.mark.rule
def test_losses_are_python_floats(learner):
    """losses holds Python floats, also when val_loss() returns 0-d tensors"""
    losses = [2.0, 1.0, 1.5, 1.25]
    outcome = Run(learner, losses, 4, 2, seed=8, as_tensor=True).outcome
    inputs = inputs_of(losses, 4, 2) + ", each as a 0-d float64 tensor"
    seen = unpack(outcome, inputs)[2]
    if not isinstance(seen, list):
        checks.fail(f"{CALL}: losses should be a list of Python floats; it is {checks.fmt(seen)}",
                    inputs=inputs, contract=CONTRACT)
    for item in seen:
        if type(item) is not float:
            checks.fail(f"{CALL}: losses should hold Python floats; it holds {checks.fmt(item)}: "
                        "append float(val_loss())", inputs=inputs, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_train_then_validate_once_per_epoch(seed_run):
    """each epoch calls train_epoch() once, then val_loss() once"""
    done = seed_run()
    done.outcome.value  # noqa: B018 - surfaces an exception first
    log = done.log()
    expected = [[kind, epoch] for epoch in range(6) for kind in ("train", "val")]
    if log == expected:
        return
    shown = " ".join(f"{kind}({epoch})" for kind, epoch in log[:16])
    checks.fail(f"{CALL}: the calls were {shown}; each epoch calls train_epoch() once and then "
                "val_loss() once (keep its value: a real validation pass is costly)",
                inputs=inputs_of(SEED_LOSSES, 8, 3), contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("max_epochs, patience", [(0, 3), (5, 0), (-1, 2), (3, -2)],
                         ids=["max-epochs-0", "patience-0", "max-epochs-negative", "patience-negative"])
def test_value_errors(learner, max_epochs, patience):
    """ValueError if max_epochs < 1 or patience < 1"""
    outcome = Run(learner, [1.0, 0.5, 0.25, 0.125, 0.0625], max_epochs, patience, seed=10).outcome
    checks.raises(outcome, "ValueError", call=CALL, contract=CONTRACT,
                  inputs=f"max_epochs = {max_epochs}, patience = {patience}",
                  why="there is no epoch to run, or no patience to wait with")
