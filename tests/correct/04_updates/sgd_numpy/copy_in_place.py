# style: a copy updated in place (w.copy(), -=); floats handled with np.isscalar and float()
import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    if np.isscalar(w):
        return float(w - lr * grad)
    new_w = w.copy()
    new_w -= lr * grad
    return new_w
