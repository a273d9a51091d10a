# style: np.dot of x with the residual, .item() instead of float()
import numpy as np


def dmse_dw(x: np.ndarray, y: np.ndarray, w: float) -> float:
    residual = w * x - y
    return (2 * np.dot(x, residual) / x.size).item()
