# mutant: subtracts in place, so the caller's y_pred is overwritten by the differences
# expect: changed y_pred
import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    y_pred -= y
    return float(np.mean(y_pred**2))
