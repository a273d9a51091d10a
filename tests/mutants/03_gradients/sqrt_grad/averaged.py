# mutant: divides by the number of elements, as if the loss were averaged over them
# expect: times too small
import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    with torch.no_grad():
        return -4 * guess * (n - guess**2) / guess.numel()
