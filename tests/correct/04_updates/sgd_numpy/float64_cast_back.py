# style: float64 internals cast back with astype(w.dtype); math-free float branch via float()
import numpy as np


def sgd_update(w, grad, lr: float):
    if isinstance(w, np.ndarray):
        step = lr * np.asarray(grad, dtype=np.float64)
        return (w.astype(np.float64) - step).astype(w.dtype)
    return float(w) - lr * float(grad)
