# mutant: converts everything with np.asarray, so floats come back as np.float64
# expect: Python float
import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    return np.asarray(w) - lr * np.asarray(grad)
