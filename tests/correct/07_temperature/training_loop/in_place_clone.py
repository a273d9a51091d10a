# style: in-place updates of a detached clone (params -= ...), loss as sum() / len(), isnan | isinf
import torch


class DivergenceError(ArithmeticError):
    pass


def training_loop(n_epochs, learning_rate, params, t_u, t_c):
    p = params.detach().clone()
    for epoch in range(1, n_epochs + 1):
        t_p = p[0] * t_u + p[1]
        loss = ((t_p - t_c) ** 2).sum() / len(t_c)
        if torch.isnan(loss) or torch.isinf(loss):
            raise DivergenceError(f"loss became {loss.item()} in epoch {epoch}")
        diff = 2 * (t_p - t_c)
        p -= learning_rate * torch.stack([(diff * t_u).mean(), diff.mean()])
    return p
