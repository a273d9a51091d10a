# mutant: returns the descent direction −∇loss instead of the gradient
# expect: sign is flipped

def autograd_grad(loss_fn, params):
    x = params.detach().clone().requires_grad_(True)
    loss_fn(x).backward()
    return -x.grad
