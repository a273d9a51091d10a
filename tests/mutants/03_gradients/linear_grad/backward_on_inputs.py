# mutant: lets autograd do it on the caller's own w and b, leaving gradients in their .grad
# expect: grad changed
import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor,
                b: torch.Tensor) -> torch.Tensor:
    if not w.requires_grad:
        w.requires_grad_(True)
        b.requires_grad_(True)
    loss = ((w * t_u + b - t_c) ** 2).mean()
    loss.backward()
    return torch.stack([w.grad, b.grad]).detach()
