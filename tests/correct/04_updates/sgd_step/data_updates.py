# style: p.data -= lr * p.grad (no torch.no_grad()), then p.grad.zero_()
def sgd_step_(params, lr):
    for p in params:
        if p.grad is None:
            continue
        p.data -= lr * p.grad.data
        p.grad.zero_()
