# mutant: divides by N only, though the mean runs over all N*O entries
# expect: divided by n only
"""Kata 11_networks/backprop: the gradients of a two-layer network, by hand."""

import torch


def two_layer_grads(X: torch.Tensor, y: torch.Tensor, W1: torch.Tensor, b1: torch.Tensor,
                    W2: torch.Tensor, b2: torch.Tensor
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (dL/dW1, dL/db1, dL/dW2, dL/db2) for this network, computed by hand:

        z = X @ W1.T + b1          X: (N, D), W1: (H, D), b1: (H,)   (nn.Linear's layout)
        h = relu(z)
        y_hat = h @ W2.T + b2      W2: (O, H), b2: (O,), y: (N, O)
        L = mean((y_hat - y) ** 2) over all N * O entries

    Walk the chain rule backwards, one line per step: dL/dy_hat first (do not forget the mean's
    1 / (N * O)), then W2, b2, h, z (a ReLU passes the gradient only where z > 0: where z is
    exactly 0 nothing passes, as in autograd) and finally W1 and b1.

    - Each gradient has its parameter's shape: dL/dW1 is (H, D), not (D, H).
    - No autograd: the grader calls this under torch.no_grad(), with inputs that do not require
      grad, so backward() and torch.autograd cannot help.
    - Work in the dtype of the inputs, and leave the inputs as they were.
    """
    n, o = y.shape
    z = X @ W1.T + b1
    h = torch.relu(z)
    y_hat = h @ W2.T + b2
    d_y_hat = 2 * (y_hat - y) / n
    d_W2 = d_y_hat.T @ h
    d_b2 = d_y_hat.sum(dim=0)
    d_h = d_y_hat @ W2
    d_z = d_h * (z > 0)
    d_W1 = d_z.T @ X
    d_b1 = d_z.sum(dim=0)
    return d_W1.detach(), d_b1.detach(), d_W2.detach(), d_b2.detach()
