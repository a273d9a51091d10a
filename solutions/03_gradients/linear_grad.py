"""Kata 03_gradients/linear_grad: the gradient of the MSE for a line, by hand."""

import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor,
                b: torch.Tensor) -> torch.Tensor:
    """Return [dL/dw, dL/db] for the model t_p = w * t_u + b and the loss L = mean((t_p - t_c)**2).

    The chain rule, one factor at a time: dL/dt_p = 2 * (t_p - t_c) / N for each point, and
    dt_p/dw = t_u, dt_p/db = 1. So
        dL/dw = mean(2 * (t_p - t_c) * t_u)
        dL/db = mean(2 * (t_p - t_c))

    - t_u and t_c are 1-D tensors of length N; w and b are 0-d tensors. All share one dtype
      (float32 or float64): work in it.
    - By hand, with tensor arithmetic: no backward(), no torch.autograd.
    - Return one tensor of shape (2,), dL/dw first, then dL/db.
    - No autograd graph on the result, even when w and b require grad: compute under
      torch.no_grad(), or detach.
    - Leave every input as it was.
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        t_p = w * t_u + b
        dloss_dtp = 2 * (t_p - t_c) / t_u.shape[0]
        return torch.stack([(dloss_dtp * t_u).sum(), dloss_dtp.sum()])
    ### END SOLUTION
