"""Public tests for 14_generalization/evaluate.

Run them with: pytest exercises/14_generalization/test_evaluate.py
"""

import pytest
import torch
from evaluate import evaluate
from torch import nn


def make_model(mode="train"):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2))
    with torch.no_grad():
        model[1].running_mean.copy_(torch.tensor([0.5, -0.5, 1.0, 0.0]))
        model[1].running_var.copy_(torch.tensor([2.0, 0.5, 1.0, 3.0]))
    for p in model.parameters():
        p.grad = torch.ones_like(p)  # a gradient left from training: evaluate must not touch it
    return model.train(mode == "train")


X = torch.randn(8, 3, generator=torch.Generator().manual_seed(1))
Y = torch.randn(8, 2, generator=torch.Generator().manual_seed(2))


def test_eval_mode_loss_as_a_float():
    model = make_model("train")
    reference = make_model("eval")
    with torch.no_grad():
        expected = nn.MSELoss()(reference(X), Y).item()
    loss = evaluate(model, X, Y, nn.MSELoss())
    assert type(loss) is float, (
        f"evaluate should return a Python float, got {type(loss).__name__}: use .item()"
    )
    assert loss == pytest.approx(expected, rel=1e-5), (
        f"expected the eval-mode loss {expected:.6f}, got {loss:.6f}: call model.eval() before the "
        "forward (Dropout off, BatchNorm uses its running statistics)"
    )


def test_mode_restored_for_every_submodule():
    for mode in ("train", "eval"):
        model = make_model(mode)
        evaluate(model, X, Y, nn.MSELoss())
        flags = [m.training for m in model.modules()]
        if mode == "eval" and any(flags):
            why = ("evaluate put the model in train mode; it was in eval mode before the call and must "
                   "stay so: restore the mode it had, not always train mode")
        elif not any(flags):
            why = "evaluate left the model in eval mode; it was in train mode before"
        elif flags[0]:
            why = ("the model's own flag is back to train, but its submodules are still in eval mode: "
                   "model.train(was_training) sets every submodule, while `model.training = ...` "
                   "sets only the top one")
        else:
            why = "some submodules were left in eval mode"
        assert all(f == (mode == "train") for f in flags), (
            f"{why}. Got the flags {flags} for the model and its submodules: save "
            "was_training = model.training before model.eval(), then model.train(was_training) at the end"
        )


def test_model_unchanged():
    model = make_model("train")
    before = {k: v.clone() for k, v in model.state_dict().items()}  # parameters and buffers
    evaluate(model, X, Y, nn.MSELoss())
    for name, value in model.state_dict().items():
        assert torch.equal(value, before[name]), (
            f"evaluate changed {name}"
            + (": a forward in train mode updates BatchNorm's running statistics; call model.eval()"
               if "running" in name or "num_batches" in name else "")
        )
    assert all(torch.equal(p.grad, torch.ones_like(p)) for p in model.parameters()), (
        "evaluate changed the parameters' .grad: no backward in evaluate"
    )


def test_one_forward_in_eval_mode_without_autograd():
    model = make_model("train")
    seen = []
    model.register_forward_hook(lambda m, inputs, out: seen.append(
        (torch.is_grad_enabled(), m.training, inputs[0].shape[0])))
    evaluate(model, X, Y, nn.MSELoss())
    assert len(seen) == 1, f"call the model once, on all of X; it was called {len(seen)} times"
    grad_enabled, training, rows = seen[0]
    assert not training, "the forward ran in train mode: call model.eval() first"
    assert not grad_enabled, "the forward ran with autograd on: wrap it in `with torch.no_grad():`"
    assert rows == X.shape[0], f"the forward saw {rows} rows; pass all of X at once"


class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        raise RuntimeError("this forward fails on purpose")


def test_forward_raises_mode_still_restored():
    model = Broken().train()
    try:
        result = evaluate(model, X, Y, nn.MSELoss())
    except RuntimeError as error:
        assert "on purpose" in str(error), (
            f"the model's forward raised RuntimeError('this forward fails on purpose'), but the caller "
            f"got RuntimeError('{error}'): let the original exception propagate"
        )
    else:
        pytest.fail("the model's forward raised RuntimeError('this forward fails on purpose'), but "
                    f"evaluate returned {result!r}: let the exception propagate (try/finally, no "
                    "except that swallows it)")
    assert model.training and model.drop.training, (
        "after the forward raised, the model is still in eval mode: restore the mode in a "
        "`finally:` block, which runs when an exception passes through too"
    )
