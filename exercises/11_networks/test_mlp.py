"""Public tests for 11_networks/mlp. Run them with: pytest exercises/11_networks/test_mlp.py"""

import pytest
import torch
from mlp import MLP
from torch import nn


def contract_sequential(sizes):
    """The nn.Sequential the contract compares MLP(sizes) with."""
    layers = []
    for i in range(len(sizes) - 1):
        if i:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
    return nn.Sequential(*layers)


def test_layers_are_registered_in_order():
    model = MLP([2, 8, 3])
    shapes = [tuple(p.shape) for p in model.parameters()]
    assert shapes, (
        "MLP([2, 8, 3]).parameters() is empty: the layers are not registered. nn.Module does not "
        "look inside a plain Python list, so .double(), state_dict() and optimizers would never "
        "see them either: keep them in nn.ModuleList([...]) or nn.Sequential(...)"
    )
    assert shapes == [(8, 2), (8,), (3, 8), (3,)], (
        f"MLP([2, 8, 3]).parameters() should yield W0 (8, 2), b0 (8,), W1 (3, 8), b1 (3,) in that "
        f"order, got shapes {shapes}. nn.Linear(in_features, out_features) stores its weight as "
        "(out, in)"
    )
    assert len(model.state_dict()) == 4, (
        f"state_dict() should hold the two weights and two biases, got {list(model.state_dict())}"
    )


def test_same_weights_and_outputs_as_sequential():
    torch.manual_seed(0)
    model = MLP([2, 8, 1])
    torch.manual_seed(0)
    reference = contract_sequential([2, 8, 1])
    torch.manual_seed(0)
    last_first = [*reversed([nn.Linear(8, 1), nn.Linear(2, 8)])]
    last_first = [p for layer in last_first for p in layer.parameters()]
    for i, (got, want, backwards) in enumerate(zip(model.parameters(), reference.parameters(),
                                                   last_first, strict=False)):
        assert got.shape == want.shape, (
            f"parameter {i} has shape {tuple(got.shape)}, nn.Sequential's {tuple(want.shape)}: "
            "nn.Linear(in_features, out_features) stores its weight as (out, in)"
        )
        assert torch.equal(got, want), (
            f"parameter {i} differs from nn.Sequential(nn.Linear(2, 8), nn.ReLU(), "
            "nn.Linear(8, 1)) made after the same torch.manual_seed(0): "
            + ("the Linears were created last to first: create them in order, first to last"
               if torch.equal(got, backwards) else
               "create the Linears in order, first to last, and draw nothing else from torch's "
               "random generator (no re-initialisation, no extra layers)")
        )
    X = torch.randn(6, 2, generator=torch.Generator().manual_seed(100))
    out, expected = model(X), reference(X)
    assert out.shape == (6, 1), f"a batch of shape (6, 2) should give (6, 1), got {tuple(out.shape)}"
    assert (expected < 0).all()
    assert not torch.equal(out, torch.relu(expected)), (
        "every output is 0 where it should be negative: a ReLU after the last layer. The last "
        "Linear's outputs pass unchanged (they are logits or regression values)"
    )
    no_relu = reference[2](reference[0](X))
    assert torch.allclose(out, expected), (
        f"MLP([2, 8, 1])(X) should equal nn.Sequential's output {expected.flatten().tolist()}, got "
        f"{out.flatten().tolist()}"
        + (": that is the output with no ReLU between the layers. Put one after every Linear but "
           "the last" if torch.allclose(out, no_relu) else
           ": each Linear in turn, a ReLU after every one but the last")
    )
    out.sum().backward()
    assert all(p.grad is not None for p in model.parameters()), (
        "backward() through MLP's output should reach every parameter: keep forward differentiable"
    )


def test_double_reaches_every_layer():
    torch.manual_seed(1)
    model = MLP([3, 5, 4, 2]).double()
    dtypes = {p.dtype for p in model.parameters()}
    assert dtypes, (
        "MLP([3, 5, 4, 2]) has no parameters at all, so .double() has nothing to convert: its "
        "layers are not registered (nn.Module does not look inside a plain Python list, dict or "
        "tuple). Keep them in nn.ModuleList([...]) or nn.Sequential(...)"
    )
    assert dtypes == {torch.float64}, (
        "after .double() every parameter should be torch.float64, but some are "
        + " and ".join(sorted(str(d).removeprefix("torch.") for d in dtypes - {torch.float64}))
    )
    out = model(torch.ones(2, 3, dtype=torch.float64))
    assert out.dtype == torch.float64 and out.shape == (2, 2), (
        f"a float64 batch of shape (2, 3) should give float64 (2, 2), got {out.dtype} {tuple(out.shape)}"
    )


@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [3, -2]])
def test_bad_sizes_raise(sizes):
    try:
        MLP(sizes)
    except ValueError:
        return
    except Exception as error:  # any other error is shown to the learner
        pytest.fail(f"MLP({sizes}) should raise ValueError (at least two sizes, all at least 1), "
                    f"not {type(error).__name__}: {error}")
    pytest.fail(f"MLP({sizes}) should raise ValueError: at least two sizes, all at least 1")
