# style: torch.autograd.grad, the losses stacked and checked at once with torch.isfinite, a dict of verdicts
import torch


def max_stable_lr(make_params, loss_fn, candidates, steps):
    verdicts = {}
    for lr in candidates:
        params = make_params().detach().requires_grad_()
        losses = [loss_fn(params).detach()]
        for _ in range(steps):
            (g,) = torch.autograd.grad(loss_fn(params), params)
            params = (params - lr * g).detach().requires_grad_()
            losses.append(loss_fn(params).detach())
        history = torch.stack(losses)
        verdicts[lr] = bool(torch.isfinite(history).all()) and bool(history[-1] < history[0])
    return float(max(lr for lr, ok in verdicts.items() if ok))
