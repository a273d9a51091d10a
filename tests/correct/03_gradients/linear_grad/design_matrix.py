# style: a design matrix [t_u, 1] and X.T @ residual, under torch.no_grad()
import torch


def linear_grad(t_u: torch.Tensor, t_c: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        design = torch.stack([t_u, torch.ones_like(t_u)], dim=1)
        residual = design @ torch.stack([w, b]) - t_c
        return 2 * design.T @ residual / len(t_u)
