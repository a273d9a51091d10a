# mutant: forgets the inner derivative dt_p/dw = t_u, so dL/dw equals dL/db
# expect: missing its factor t_u
import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor,
                b: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        dloss_dtp = 2 * (w * t_u + b - t_c) / t_u.shape[0]
        return torch.stack([dloss_dtp.sum(), dloss_dtp.sum()])
