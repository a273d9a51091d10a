# style: nudges params itself in place (through .data) and puts back each value from a saved copy
import torch


def central_difference(f, params: torch.Tensor, delta: float = 1e-3) -> torch.Tensor:
    grad = torch.zeros_like(params, requires_grad=False)
    saved = params.detach().clone().view(-1)
    flat = params.data.view(-1)
    with torch.no_grad():
        for i in range(flat.numel()):
            flat[i] = saved[i] + delta
            up = f(params)
            flat[i] = saved[i] - delta
            down = f(params)
            flat[i] = saved[i]  # copied back, not subtracted: no rounding
            grad.view(-1)[i] = (up - down) / (2 * delta)
    return grad
