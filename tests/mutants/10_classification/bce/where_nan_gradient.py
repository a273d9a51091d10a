# mutant: picks a stable branch with torch.where, but the other branch still overflows: the loss is
# finite, its gradient nan at z = ±1e4
# expect: 0·inf = nan
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    z = logits
    softplus = torch.where(z > 0, z + torch.log1p(torch.exp(-z)), torch.log1p(torch.exp(z)))
    return (softplus - y * z).mean()
