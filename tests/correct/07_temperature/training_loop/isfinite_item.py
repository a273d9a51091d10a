# style: math.isfinite on loss.item(), epochs counted from 0, a gradient helper, prints as the chapter does
import math

import torch


class DivergenceError(ArithmeticError):
    pass


def _gradient(t_p, t_u, t_c):
    d = 2 * (t_p - t_c)
    return torch.stack([(d * t_u).mean(), d.mean()])


def training_loop(n_epochs, learning_rate, params, t_u, t_c):
    params = params.detach()
    for epoch in range(n_epochs):
        w, b = params[0], params[1]
        t_p = w * t_u + b
        loss = ((t_p - t_c) ** 2).mean()
        if not math.isfinite(loss.item()):
            raise DivergenceError(f"epoch {epoch} (counting from 0): loss = {loss.item()}")
        params = params - learning_rate * _gradient(t_p, t_u, t_c)
        if epoch % 500 == 0:
            print("Epoch %d, Loss %f" % (epoch, float(loss)))  # noqa: UP031 - as the chapter writes it
    return params
