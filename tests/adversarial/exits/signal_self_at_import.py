# kata: 01_autograd/vjp
import os
import signal

# attack:begin  die by a signal while being imported
os.kill(os.getpid(), signal.SIGTERM)
os.kill(os.getpid(), signal.SIGKILL)
# attack:end


def vjp(f, x, v):
    raise NotImplementedError
