# mutant: brings down the outer 2 but forgets the 2 from d(g²)/dg = 2g
# expect: factor 2
import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    with torch.no_grad():
        return -2 * guess * (n - guess**2)
