# mutant: calls backward on the caller's tensor and returns params.grad (restoring requires_grad)
# expect: accumulat

def autograd_grad(loss_fn, params):
    was = params.requires_grad
    params.requires_grad_(True)
    loss_fn(params).backward()
    grad = params.grad.detach().clone()
    params.requires_grad_(was)
    return grad
