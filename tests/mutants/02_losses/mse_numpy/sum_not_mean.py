# mutant: sums the squared differences instead of averaging them
# expect: off by a factor of N
import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return float(np.sum((y_pred - y) ** 2))
