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

_NO_GRAPH_ON_W = ("the loss has no graph: create w with requires_grad=True and compute the loss "
                  "outside torch.no_grad()")
_SAME_LOSS_TWICE = "compute the loss afresh in every epoch and call backward() once on it"

_BY_HAND = ("this kata is by hand: work the derivative out with tensor arithmetic, without "
            "backward() or torch.autograd (it may be called under torch.no_grad(), where autograd "
            "records nothing), and leave the caller's tensors alone")

# a loss (or a gradient by hand) changes no parameter: an in-place change there is of an input, and
# the general advice, a parameter update inside torch.no_grad(), would cut the loss's graph
_INPUT_IN_PLACE = ("an input that requires grad was changed in place (-=, +=, .sub_(), x[i] = …): "
                   "autograd refuses that on a leaf, and it would change the caller's tensor. "
                   "Compute into a new tensor instead (x = x - m, not x -= m)")
_LOGITS_IN_PLACE = ("logits were changed in place (logits -= m, or .sub_()): autograd refuses that "
                    "on a leaf that requires grad, and it would change the caller's tensor. Shift "
                    "into a new tensor instead: shifted = logits - m")
_BCE_IN_PLACE = ("logits were changed in place (-=, .clamp_(), .abs_(), …): autograd refuses that on "
                 "a leaf that requires grad, and it would change the caller's tensor. Compute into "
                 "new tensors instead: z.clamp(min=0), not z.clamp_(min=0)")
_IN_PLACE = "leaf Variable that requires grad is being used in an in-place operation"

BY_KATA: dict[str, dict[str, str]] = {
    "02_losses/mse": {_IN_PLACE: _INPUT_IN_PLACE},
    "02_losses/sqrt_loss": {_IN_PLACE: _INPUT_IN_PLACE},
    "10_classification/bce": {_IN_PLACE: _BCE_IN_PLACE},
    "10_classification/cross_entropy": {_IN_PLACE: _LOGITS_IN_PLACE},
    "10_classification/cross_entropy_grad": {_IN_PLACE: _LOGITS_IN_PLACE},
    "10_classification/logistic_grad": {_IN_PLACE: _INPUT_IN_PLACE},
    "11_networks/backprop": {"does not require grad": _BY_HAND},
    "01_autograd/vjp": {
        "does not require grad": "x may or may not require grad: run f on a detached copy that "
        "does, x.detach().clone().requires_grad_(True), and differentiate with respect to the copy",
    },
    "03_gradients/linear_grad": {"does not require grad": _BY_HAND},
    "03_gradients/matrix_grad": {
        "does not require grad": _BY_HAND,
        "must match the size of tensor b": "(N,)-vs-(N,1) broadcasting: multiplying the (N,) residual "
        "r into X lines r up with the columns of X; let it weight the rows instead: r[:, None] * X, "
        "or X.T @ r",
    },
    "03_gradients/sqrt_grad": {"does not require grad": _BY_HAND},
    "03_gradients/finite_diff": {
        "len() of a 0-d tensor": "params[i] does not reach element i: a 0-d params has no rows at "
        "all, and for a matrix params[i] is a whole row. Reach element i of any shape through a "
        "flat view, copy.reshape(-1)[i]",
        "does not require grad": "central differences need no autograd: compute f at the nudged "
        "copies under torch.no_grad()",
    },
    "03_gradients/autograd_grad": {
        "does not require grad": "autograd differentiates only with respect to a tensor that "
        "requires grad: make a detached copy that does, params.detach().clone().requires_grad_(True), "
        "and differentiate with respect to the copy",
    },
    "04_updates/sgd_step": {
        "NoneType": "a p.grad is None there: skip the parameters whose .grad is None (they took "
        "no part in the loss), as torch.optim.SGD does",
    },
    "05_loops/fit_autograd": {
        "leaf Variable that requires grad": "update w inside `with torch.no_grad():` so that "
        "autograd does not record the step and w stays a leaf",
        "NoneType": "w.grad is None there. Either w is no longer a leaf (`w = w - lr * w.grad` "
        "outside torch.no_grad() makes a new tensor, and backward() fills .grad only on leaves), "
        "or the gradient is zeroed before the first backward() has created it",
        "does not require grad": _NO_GRAPH_ON_W,
        "backward through the graph a second time": _SAME_LOSS_TWICE,
    },
    "05_loops/fit_optim": {
        "non-leaf Tensor": "give torch.optim.SGD the leaf tensor w itself (made with "
        "requires_grad=True), not an expression computed from it",
        "empty parameter list": "pass the parameters to the optimizer: torch.optim.SGD([w], lr=lr)",
        "does not require grad": _NO_GRAPH_ON_W,
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
    "06_sqrt/sqrt_guess": {
        "OverflowError": "the guess ran off to a huge number, so the descent diverged: step against "
        "the gradient, guess − lr·gradient, with the gradient −4g(n − g²)",
    },
    "06_sqrt/sqrt_params": {
        "OverflowError": "the guess ran off to a huge number, so the descent diverged: step against "
        "the gradient, parameter − lr·gradient, with dLoss/dguess = −4·guess·(n − guess²)",
    },
    "07_temperature/training_loop": {
        "does not require grad": "the gradient here is by hand: compute [mean(2(t_p − t_c)·t_u), "
        "mean(2(t_p − t_c))] with tensor arithmetic, without backward() (the loop may run under "
        "torch.no_grad(), where autograd records nothing)",
        "leaf Variable that requires grad": "the params you were given require grad: start from "
        "params.detach().clone(); no autograd is needed here",
    },
    "07_temperature/normalize": {
        "leaf Variable that requires grad": "t may require grad: standardize t.detach(), and leave "
        "the caller's tensor as it was",
    },
    "08_line_fit/line_fit": {
        "does not require grad": "a stopped being a leaf Parameter that requires grad: update it in "
        "place with a.sub_(lr * a.grad) under torch.no_grad() instead of a = a - …",
        "NoneType": "a.grad is None there: a is no longer the Parameter you made (a = a - … makes a "
        "new tensor; update in place with a.sub_(lr * a.grad)), or backward() has not run yet",
        "the same dtype": "create a in the dtype of x: torch.nn.Parameter(torch.tensor([-1., 1.], "
        "dtype=x.dtype))",
        "scalar type": "create a in the dtype of x: torch.nn.Parameter(torch.tensor([-1., 1.], "
        "dtype=x.dtype))",
        "but expected Float": "create a in the dtype of x: torch.nn.Parameter(torch.tensor([-1., 1.], "
        "dtype=x.dtype))",
    },
    "09_beyond/minibatch": {
        "randperm": "draw the order with the generator passed by keyword: "
        "torch.randperm(N, generator=generator)",
    },
    "09_beyond/gradcheck": {
        "leaf Variable that requires grad": "x may require grad: perturb a detached float64 copy, "
        "base = x.detach().to(torch.float64).clone(), never x itself",
    },
    "09_beyond/lr_finder": {
        "does not require grad": "make_params() may give a tensor that does not require grad: "
        "params = make_params().detach().clone().requires_grad_(True)",
        "NoneType": "params.grad is None there: make_params() may give a tensor that does not require "
        "grad (params = make_params().detach().clone().requires_grad_(True)), or take the gradient "
        "with torch.autograd.grad(loss, params)",
        "leaf Variable that requires grad": "update params inside `with torch.no_grad():` so that "
        "autograd does not record the step",
    },
}


def for_kata(kata_id: str) -> dict[str, str]:
    """The kata's own entries first, then the general ones; for a fragment in both, the kata's."""
    merged = dict(BY_KATA.get(kata_id, {}))
    for fragment, text in GENERAL.items():
        merged.setdefault(fragment, text)
    return merged


def advice(kata_id: str, error_type: str, message: str) -> str | None:
    """The likely cause of an error raised in a kata, or None when nothing fits."""
    for fragment, text in for_kata(kata_id).items():
        if fragment in message or fragment == error_type:
            return text
    return None
