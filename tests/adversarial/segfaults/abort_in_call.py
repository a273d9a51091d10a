# kata: 02_losses/sqrt_loss
import os
import signal


def sqrt_loss(guess, n):
    # attack:begin  crash hard mid-call
    os.kill(os.getpid(), signal.SIGSEGV)
    os.abort()
    # attack:end
    raise NotImplementedError
