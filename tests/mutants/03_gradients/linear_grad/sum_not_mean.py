# mutant: sums over the data points instead of averaging
# expect: off by a factor of N
import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor,
                b: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        dloss_dtp = 2 * (w * t_u + b - t_c)
        return torch.stack([(dloss_dtp * t_u).sum(), dloss_dtp.sum()])
