# mutant: the gradient-descent notebook's part 1: np.dot(2x, ŷ − y).mean() is a sum, not a mean
# expect: off by a factor of N
import numpy as np


def dmse_dw(x: np.ndarray, y: np.ndarray, w: float) -> float:
    y_pred = w * x
    return float(np.dot(2 * x, y_pred - y).mean())
