# style: the new velocity written back into the caller's list (velocities[i] = ...), p.data update
def momentum_step_(params, velocities, lr, momentum):
    for i, p in enumerate(params):
        velocities[i] = momentum * velocities[i] + p.grad
        p.data -= lr * velocities[i]
        p.grad = None
