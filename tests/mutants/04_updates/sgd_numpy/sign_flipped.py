# mutant: steps uphill, adding the gradient instead of subtracting it
# expect: sign is flipped
import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    return w + lr * grad
