"""Public tests for 10_classification/cross_entropy.

Run them with: pytest exercises/10_classification/test_cross_entropy.py
"""

import math
import sys

import pytest
import torch
import torch.nn.functional as F
from cross_entropy import cross_entropy


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mean_over_rows_of_log_sum_exp_minus_the_target_logit(dtype):
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0], [1.0, -1.0, 0.5]], dtype=dtype)
    target = torch.tensor([0, 2, 1])
    loss = cross_entropy(logits, target)
    rows = [math.log(sum(math.exp(v) for v in row)) - row[t]
            for row, t in zip(logits.tolist(), [0, 2, 1], strict=True)]
    expected = sum(rows) / 3
    assert isinstance(loss, torch.Tensor) and loss.shape == () and loss.dtype == dtype, (
        f"return a 0-d {dtype} tensor, got {loss!r}"
    )
    z, rows_ = logits.double(), range(3)
    lse, m = torch.log(torch.exp(z).sum(dim=1)), z.max(dim=1).values
    wrong = {  # the classic mistakes, by the value they give here
        "Off by a factor of N = 3: take the mean over the rows, not the sum.": 3 * expected,
        "The softmax is taken over dim 0 (down the batch): sum each row's e^z over dim 1.":
            -(z - torch.log(torch.exp(z).sum(dim=0, keepdim=True)))[rows_, target].mean().item(),
        "The row max was subtracted but never added back: log Σ e^z = m + log Σ e^(z − m).":
            expected - m.mean().item(),
        "The row max has shape (N,) and lines up with the columns, not the rows: use "
        "max(dim=1, keepdim=True).":
            (m + torch.log(torch.exp(z - m).sum(dim=1)) - z[rows_, target]).mean().item(),
        "logits[:, target] picks an N×N table, every row's logit of every row's class: pick one per "
        "row with logits[torch.arange(N), target].": (lse.mean() - z[:, target].mean()).item(),
    }
    named = [text for text, value in wrong.items() if math.isclose(loss.item(), value, rel_tol=1e-4)]
    hint = " " + named[0] if named else ""
    assert math.isclose(loss.item(), expected, rel_tol=1e-5), (
        f"expected the mean of log Σⱼ e^(z_ij) − z_i,target_i = {expected:.6f}, got {loss.item():.6f}.{hint}"
    )
    one_class = torch.tensor([[5.0], [-2.0]], dtype=dtype)
    single = cross_entropy(one_class, torch.tensor([0, 0])).item()
    assert single == pytest.approx(0.0, abs=1e-6), (
        f"with a single class every row costs log e^z − z = 0; for logits [[5], [-2]] got {single}"
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_extreme_rows_and_their_gradient(dtype):
    high, low = [1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4 + 2]
    shift = ("Subtract each row's own max m_i first: log Σ e^z = m_i + log Σ e^(z − m_i), with "
             "m = logits.max(dim=1, keepdim=True).values")
    alone = [cross_entropy(torch.tensor([row], dtype=dtype), torch.tensor([1])).item() for row in (high, low)]
    if not math.isfinite(alone[0]) and math.isfinite(alone[1]):
        pytest.fail(f"got {alone[0]} for the row {high} with target 1: is it a log of a softmax? That "
                    "softmax rounds to [1, 0, 0] and log 0 = −inf. Work with log-probabilities, "
                    "z_target − (m + log Σ e^(z − m)), never the log of a probability")
    assert all(math.isfinite(v) for v in alone), (
        f"got {alone} for the rows {high} and {low} alone: e^z overflows to inf at 1e4, and "
        f"underflows to 0 at −1e4 (log 0 = −inf). {shift}"
    )
    logits = torch.tensor([high, low] * 3, dtype=dtype, requires_grad=True)
    target = torch.tensor([0, 0, 1, 1, 2, 2])
    loss = cross_entropy(logits, target)
    expected = F.cross_entropy(logits.detach().double(), target).item()  # torch's own, as a check
    assert math.isfinite(loss.item()), (
        f"got {loss.item()} with both rows in one batch: the batch shares one max, so the row far "
        f"below it underflows. {shift}"
    )
    assert abs(loss.item() - expected) <= 2e-3, f"expected {expected:.6f}, got {loss.item():.6f}"
    loss.backward()
    softmax = torch.softmax(logits.detach().double(), dim=1)
    onehot = torch.zeros_like(softmax)
    onehot[range(6), target] = 1
    assert logits.grad is not None and torch.isfinite(logits.grad).all(), (
        "the gradient is missing or not finite: keep the loss differentiable, and let nothing overflow"
    )
    assert torch.allclose(logits.grad.double(), (softmax - onehot) / 6, atol=1e-6), (
        "the gradient should be (softmax(logits) − onehot(target))/N"
    )


def test_bad_inputs_raise():
    logits = torch.tensor([[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]])
    bad = {
        "a float target (a float target is not a class index: indices are int64)":
            (logits, torch.tensor([0.0, 2.0])),
        "a float one-hot target": (logits, torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])),
        "an int32 target": (logits, torch.tensor([0, 2], dtype=torch.int32)),
        "a target of shape (N, 1)": (logits, torch.tensor([[0], [2]])),
        "a target of −1 (a target of −1 lies outside [0, C): it would silently pick the last class)":
            (logits, torch.tensor([0, -1])),
        "a target equal to C = 3": (logits, torch.tensor([0, 3])),
        "1-D logits": (logits[0], torch.tensor([1])),
    }
    for what, (z, t) in bad.items():
        with pytest.raises(ValueError):
            cross_entropy(z, t)
            pytest.fail(f"cross_entropy should raise ValueError for {what}")


def test_logits_unchanged_and_written_by_hand(monkeypatch):
    names = ["cross_entropy", "nll_loss", "softmax", "log_softmax", "logsumexp"]
    library = [(owner, name) for owner in (torch, torch.Tensor, F, torch.special) for name in names
               if hasattr(owner, name)]
    for name, value in vars(sys.modules[cross_entropy.__module__]).items():
        assert not any(value is getattr(owner, n) for owner, n in library), (
            f"cross_entropy.py imports {name}: write it yourself, without {', '.join(names)}"
        )

    def refuse(*args, **kwargs):
        raise AssertionError(f"write it yourself, without torch's {', '.join(names)}")

    for owner, name in library:
        monkeypatch.setattr(owner, name, refuse)
    before = torch.tensor([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0]])
    logits = before.clone()
    cross_entropy(logits, torch.tensor([0, 2]))
    shifted = torch.equal(logits, before - before.max(dim=1, keepdim=True).values)
    assert torch.equal(logits, before), (
        f"cross_entropy changed logits from {before.tolist()} to {logits.tolist()}"
        + (": they were shifted in place by their row max. Subtract the max into a new tensor "
           "(shifted = logits - m), never -= or sub_()" if shifted else
           ": compute into new tensors, never -=, += or an in-place method such as sub_()")
    )
