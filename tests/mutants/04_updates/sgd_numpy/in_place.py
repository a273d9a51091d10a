# mutant: updates the caller's array in place with -= and returns it
# expect: changed the caller's w
import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    w -= lr * grad
    return w
