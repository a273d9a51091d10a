# style: a design matrix [t_u, 1] with matmul, the update under torch.no_grad(), torch.isfinite
import torch


class DivergenceError(ArithmeticError):
    """The loss is no longer finite."""


def training_loop(n_epochs: int, learning_rate: float, params: torch.Tensor, t_u: torch.Tensor,
                  t_c: torch.Tensor) -> torch.Tensor:
    design = torch.stack([t_u, torch.ones_like(t_u)], dim=1)
    n = len(t_u)
    params = params.detach()
    for epoch in range(1, n_epochs + 1):
        with torch.no_grad():
            residual = design @ params - t_c
            loss = residual @ residual / n
            if not torch.isfinite(loss):
                raise DivergenceError(f"training diverged at epoch {epoch}: the loss is {loss.item()}")
            params = params - learning_rate * (2 * design.T @ residual / n)
    return params
