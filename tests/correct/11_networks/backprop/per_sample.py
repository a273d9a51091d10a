# style: one sample at a time, outer products summed, the mean taken at the end
"""Kata 11_networks/backprop: the gradients of a two-layer network, by hand."""

import torch


def two_layer_grads(X, y, W1, b1, W2, b2):
    n, o = y.shape
    g_W1, g_b1 = torch.zeros_like(W1), torch.zeros_like(b1)
    g_W2, g_b2 = torch.zeros_like(W2), torch.zeros_like(b2)
    for x_i, y_i in zip(X, y, strict=True):
        z = W1 @ x_i + b1
        h = z.clamp(min=0)
        d = 2 * (W2 @ h + b2 - y_i)
        g_W2 += torch.outer(d, h)
        g_b2 += d
        d_z = (W2.T @ d) * (z > 0).to(z.dtype)
        g_W1 += torch.outer(d_z, x_i)
        g_b1 += d_z
    scale = n * o
    return g_W1 / scale, g_b1 / scale, g_W2 / scale, g_b2 / scale
