# style: one parameter vector θ = [w, b] over X with a column of ones appended, updated as a whole
import torch


def fit_logistic(X: torch.Tensor, y: torch.Tensor, lr: float,
                 epochs: int) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    n, d = X.shape
    Xa = torch.cat([X, torch.ones(n, 1, dtype=X.dtype)], dim=1)
    theta = torch.zeros(d + 1, dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        z = Xa @ theta
        log_p = -(torch.relu(-z) + torch.log1p(torch.exp(-z.abs())))      # log σ(z)
        log_not_p = -(torch.relu(z) + torch.log1p(torch.exp(-z.abs())))  # log σ(−z)
        losses.append(float(-(y * log_p + (1 - y) * log_not_p).mean()))
        theta = theta - lr * Xa.T @ (torch.sigmoid(z) - y) / n
    return theta[:d].clone(), theta[d].clone(), losses
