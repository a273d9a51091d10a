# mutant: right numbers, but computed with autograd recording, so the result carries a graph
# expect: autograd graph
import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor,
                b: torch.Tensor) -> torch.Tensor:
    dloss_dtp = 2 * (w * t_u + b - t_c) / t_u.shape[0]
    return torch.stack([(dloss_dtp * t_u).sum(), dloss_dtp.sum()])
