# style: the chain rule as two named factors on guess.detach(), x.pow(2)
def sqrt_loss_grad(guess, n):
    g = guess.detach()
    outer = 2 * (n - g.pow(2))  # d/du u², at u = n − g²
    inner = -2 * g  # d/dg (n − g²)
    return outer * inner
