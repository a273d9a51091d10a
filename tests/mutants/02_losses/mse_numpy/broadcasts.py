# mutant: never checks the shapes, so an (N,1) column broadcasts against an (N,) vector
# expect: should raise ValueError
import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((y_pred - y) ** 2))
