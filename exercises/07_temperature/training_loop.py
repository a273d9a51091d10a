"""Kata 07_temperature/training_loop: the temperature training loop, and noticing divergence."""

import torch


class DivergenceError(ArithmeticError):
    """Raised by training_loop when the loss stops being a finite number."""


def training_loop(n_epochs: int, learning_rate: float, params: torch.Tensor, t_u: torch.Tensor,
                  t_c: torch.Tensor) -> torch.Tensor:
    """Fit the temperature model t_p = w * t_u + b by plain gradient descent; return [w, b].

    params is the starting tensor [w, b]; t_u holds the thermometer's readings in unknown units
    and t_c the same temperatures in Celsius. Each of the n_epochs epochs does, in this order:

    1. predict t_p = w * t_u + b and compute the loss, the mean of (t_p - t_c) ** 2;
    2. if the loss is not a finite number (inf or nan), raise DivergenceError with a message that
       names the epoch, e.g. "loss is inf at epoch 11" (raw t_u at lr 1e-2 in float32; in float64
       the loss lasts until epoch 88). Count epochs from 1, as the chapter prints them, or from 0:
       either is fine, but name it;
    3. compute the gradient by hand, as in 03_gradients/linear_grad:
       [mean(2 * (t_p - t_c) * t_u), mean(2 * (t_p - t_c))];
    4. update: params = params - learning_rate * gradient.

    Return the final [w, b] as a tensor of shape (2,), in the dtype of the inputs, carrying no
    autograd graph (even when the params you were given require grad). No autograd is needed.
    """
    raise NotImplementedError("07_temperature/training_loop: your code goes here (see the docstring)")
