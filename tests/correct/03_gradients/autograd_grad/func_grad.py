# style: torch.func.grad on a detached params (no leaf, no .grad anywhere)
import torch


def autograd_grad(loss_fn, params):
    return torch.func.grad(loss_fn)(params.detach())
