# mutant: drops the minus sign of the inner derivative d(n − g²)/dg = −2g
# expect: sign is flipped
import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    with torch.no_grad():
        return 4 * guess * (n - guess**2)
