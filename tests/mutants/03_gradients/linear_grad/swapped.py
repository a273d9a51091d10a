# mutant: returns [dL/db, dL/dw], the bias first
# expect: swapped
import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor,
                b: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        dloss_dtp = 2 * (w * t_u + b - t_c) / t_u.shape[0]
        return torch.stack([dloss_dtp.sum(), (dloss_dtp * t_u).sum()])
