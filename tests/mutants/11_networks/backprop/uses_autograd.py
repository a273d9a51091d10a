# mutant: asks autograd for the gradients, which fails under torch.no_grad()
# expect: written by hand
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
    params = [p.detach().clone().requires_grad_(True) for p in (W1, b1, W2, b2)]
    w1, c1, w2, c2 = params
    y_hat = torch.relu(X @ w1.T + c1) @ w2.T + c2
    loss = ((y_hat - y) ** 2).mean()
    loss.backward()
    return tuple(p.grad for p in params)
