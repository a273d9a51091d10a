"""Kata 07_temperature/normalize: standardize the input, then fit the thermometer quickly."""

from collections.abc import Callable

import torch


def standardize(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return ((t - mean) / std, mean, std) for a 1-D tensor t.

    - mean and std are t's own, as 0-d tensors; std is the sample standard deviation, with
      Bessel's correction (divide by N - 1), exactly what t.std() computes.
    - Keep the dtype of t, leave t as it was, and return tensors that carry no autograd graph
      (even if t requires grad).
    """
    ### BEGIN SOLUTION
    t = t.detach()
    mean = t.mean()
    std = t.std()
    return (t - mean) / std, mean, std
    ### END SOLUTION


def fit_temperature(t_u: torch.Tensor, t_c: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """Learn t_c ≈ w * t_u + b by gradient descent and return a predictor for new readings.

    t_u holds readings of a thermometer in unknown units, t_c the same temperatures in Celsius
    (1-D tensors of the same length). Raw readings make gradient descent crawl or blow up (see
    training_loop); standardized ones let it converge in a few hundred epochs. The scaling, the
    learning rate and the number of epochs are yours to choose.

    Return a function predict(readings) -> Celsius that takes readings in the ORIGINAL units
    (any number of them, even one) and returns a tensor of the same shape and dtype, with no
    autograd graph. Its mean squared error on (t_u, t_c) must be within 1% of the best any line
    can do. Careful: new readings must be scaled with the mean and std of the TRAINING data.
    """
    ### BEGIN SOLUTION
    z, mean, std = standardize(t_u)
    t_c = t_c.detach()
    w = torch.zeros((), dtype=t_u.dtype)
    b = torch.zeros((), dtype=t_u.dtype)
    for _ in range(200):
        diff = 2 * (w * z + b - t_c)
        w = w - 0.1 * (diff * z).mean()
        b = b - 0.1 * diff.mean()

    def predict(readings: torch.Tensor) -> torch.Tensor:
        return w * (readings.detach() - mean) / std + b

    return predict
    ### END SOLUTION
