# style: .detach() on w and b instead of torch.no_grad(), torch.mean
import torch


def linear_grad(t_u, t_c, w, b):
    w, b = w.detach(), b.detach()
    residual = w * t_u + b - t_c
    return torch.stack([torch.mean(2 * residual * t_u), torch.mean(2 * residual)])
