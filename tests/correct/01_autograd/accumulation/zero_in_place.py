# style: x.grad.zero_() guarded by a None check, copies by .detach().clone()


def grads_over_steps(f, x, steps, zero_grad):
    grads = []
    step = 0
    while step < steps:
        if zero_grad and x.grad is not None:
            x.grad.zero_()
        loss = f(x)
        loss.backward()
        grads.append(x.grad.detach().clone())
        step += 1
    return grads
