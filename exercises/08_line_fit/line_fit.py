"""Kata 08_line_fit/line_fit: fit a line with an nn.Parameter and a hand-written update."""

import torch


def fit_line(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    """Fit y ≈ x @ a by gradient descent and return the fitted a = [slope, intercept].

    x has shape (N, 2): the inputs in the first column and ones in the second, so x @ a is
    slope · input + intercept for every row. y has shape (N,).

    - a is a torch.nn.Parameter that starts at [-1., 1.], in the dtype of x (float32 or float64).
    - Each step: loss = mean((x @ a - y)²), loss.backward(), then under torch.no_grad() update in
      place with a.sub_(lr * a.grad), and zero the gradient before the next step.
    - Keep x @ a and y the same shape (N,): an (N, 1) column against an (N,) vector broadcasts to
      an N × N matrix and quietly fits the wrong thing.
    - Return a detached copy of a: a plain torch.Tensor of shape (2,) in the dtype of x, without
      an autograd graph and not the Parameter itself.
    - Leave x and y as they were.
    """
    raise NotImplementedError("08_line_fit/line_fit: your code goes here (see the docstring)")
