# mutant: takes the square root at the end (the RMSE, not the MSE)
# expect: RMSE
import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return float(np.sqrt(np.mean((y_pred - y) ** 2)))
