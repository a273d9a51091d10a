# mutant: returns numpy's scalar (np.float64 / np.float32) instead of a Python float
# expect: Python float
import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return ((y_pred - y) ** 2).mean()
