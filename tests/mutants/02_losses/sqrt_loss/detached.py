# mutant: computes the loss under torch.no_grad(), so nothing can backpropagate through it
# expect: not differentiable
import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    with torch.no_grad():
        return (n - guess**2) ** 2
