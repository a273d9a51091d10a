# style: float64 internals with w and b as Python floats (.item()), the result built by torch.tensor
import torch


def linear_grad(t_u, t_c, w, b):
    u, c = t_u.double(), t_c.double()
    r = w.item() * u + b.item() - c
    dw = (2 * r * u).mean().item()
    db = (2 * r).mean().item()
    return torch.tensor([dw, db], dtype=t_u.dtype)
