"""What an error from PyTorch or Python most likely means in a kata, in the learner's words.

One table, read by the hidden suites (a learner's call that raised) and by the public tests'
feedback (grader.learner.feedback), so a learner reads the same advice in both. A kata's own
entries come first; the general ones apply to every kata. Keys are fragments of the error's
type and message, matched as text.
"""

from __future__ import annotations

GENERAL: dict[str, str] = {
    "leaf Variable that requires grad is being used in an in-place operation":
        "a tensor that requires grad was changed in place while autograd was recording: make the "
        "update inside `with torch.no_grad():`",
    "does not require grad and does not have a grad_fn":
        "the result has no autograd graph, so nothing can backpropagate through it: something cut "
        "it on the way (.item(), .detach(), torch.no_grad(), or a new torch.tensor(...) made from "
        "numbers); compute it from the tensors you were given",
    "'NoneType' object has no attribute 'zero_'":
        "a .grad is still None there: backward() fills .grad only on leaf tensors that require "
        "grad, and only once it has run (x.grad = None clears it safely before the first backward)",
    "backward through the graph a second time":
        "backward() ran twice through one graph: compute the loss afresh before each backward()",
    "grad can be implicitly created only for scalar outputs":
        "backward() without an argument needs a single number: reduce the result first (.mean(), "
        ".sum()) or pass the vector of a vector-Jacobian product",
    "only one element tensors can be converted to Python scalars":
        ".item() or float() of a tensor with more than one element: reduce it to one number first",
    "Can't call numpy() on Tensor that requires grad":
        "call .detach() before .numpy(): numpy cannot carry autograd's graph",
    "must have the same dtype":
        "tensors of two dtypes met (float32 and float64): work in the dtype of the inputs, making "
        "new tensors with dtype=X.dtype",
    "expected scalar type":
        "tensors of two dtypes met (float32 and float64): work in the dtype of the inputs, making "
        "new tensors with dtype=X.dtype",
    "found dtype Double but expected Float":
        "tensors of two dtypes met (float32 and float64): work in the dtype of the inputs, making "
        "new tensors with dtype=X.dtype",
    "shapes cannot be multiplied":
        "a matrix product whose inner sizes differ: check which side is transposed (a weight in "
        "nn.Linear's layout is (out, in), so a layer computes x @ W.T)",
    "must match the size of tensor b":
        "two shapes that do not broadcast: check the shapes on both sides of the operation",
    "maximum recursion depth exceeded":
        "a recursive walk went deeper than Python allows: walk with an explicit stack (a list) "
        "instead of recursion",
}

_SAME_LOSS_TWICE = "compute the loss afresh in every epoch and call backward() once on it"

BY_KATA: dict[str, dict[str, str]] = {
    "05_loops/fit_autograd": {
        "leaf Variable that requires grad": "update w inside `with torch.no_grad():` so that "
        "autograd does not record the step and w stays a leaf",
        "NoneType": "w.grad is None there. Either w is no longer a leaf (`w = w - lr * w.grad` "
        "outside torch.no_grad() makes a new tensor, and backward() fills .grad only on leaves), "
        "or the gradient is zeroed before the first backward() has created it",
        "does not require grad": "the loss has no graph: create w with requires_grad=True and "
        "compute the loss outside torch.no_grad()",
        "backward through the graph a second time": _SAME_LOSS_TWICE,
    },
    "05_loops/fit_optim": {
        "non-leaf Tensor": "give torch.optim.SGD the leaf tensor w itself (made with "
        "requires_grad=True), not an expression computed from it",
        "empty parameter list": "pass the parameters to the optimizer: torch.optim.SGD([w], lr=lr)",
        "does not require grad": "the loss has no graph: create w with requires_grad=True and "
        "compute the loss outside torch.no_grad()",
        "backward through the graph a second time": _SAME_LOSS_TWICE,
        "leaf Variable that requires grad": "let optimizer.step() update w; do not change w "
        "yourself",
    },
    "05_loops/fit_module": {
        "has no attribute": "fit_module must train ANY nn.Module: reach the model only through "
        "model(X) and model.parameters()",
        "empty parameter list": "give the optimizer the model's parameters: "
        "torch.optim.SGD(model.parameters(), lr=lr)",
        "does not require grad": "the loss has no graph: compute it from model(X), outside "
        "torch.no_grad(), without .detach()",
        "backward through the graph a second time": _SAME_LOSS_TWICE,
    },
}


def for_kata(kata_id: str) -> dict[str, str]:
    """The kata's own entries first, then the general ones."""
    return {**BY_KATA.get(kata_id, {}), **GENERAL}


def advice(kata_id: str, error_type: str, message: str) -> str | None:
    """The likely cause of an error raised in a kata, or None when nothing fits."""
    for fragment, text in for_kata(kata_id).items():
        if fragment in message or fragment == error_type:
            return text
    return None
