# style: an early return for Python floats, np.subtract and np.multiply for arrays
import numpy as np


def sgd_update(w, grad, lr):
    if isinstance(w, float):
        return w - lr * grad
    return np.subtract(w, np.multiply(lr, grad))
