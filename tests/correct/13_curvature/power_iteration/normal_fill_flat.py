# style: v₀ by normal_ on an empty tensor with the generator, flat vectors, a while loop
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if not iters >= 1:
        raise ValueError(f"iters = {iters}")
    v = torch.empty(params.shape, dtype=params.dtype).normal_(generator=generator).reshape(-1)
    v = v / v.norm()
    point = params.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        grad = torch.autograd.grad(loss_fn(point), point, create_graph=True)[0].reshape(-1)
    estimate, done = 0.0, 0
    while done < iters:
        if grad.requires_grad:
            w = torch.autograd.grad(grad, point, grad_outputs=v, retain_graph=True,
                                    materialize_grads=True)[0].reshape(-1)
        else:
            w = torch.zeros_like(v)
        if float(w.norm()) == 0.0:
            return 0.0
        estimate = float(v @ w)
        v = w / w.norm()
        done += 1
    return estimate
