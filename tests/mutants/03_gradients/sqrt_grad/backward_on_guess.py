# mutant: lets autograd do it on the caller's own guess, turning on its requires_grad
# expect: requires_grad
import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    guess.requires_grad_(True)
    guess.grad = None
    ((n - guess**2) ** 2).sum().backward()
    return guess.grad.detach().clone()
