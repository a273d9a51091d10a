# style: ndarray methods and .item() instead of float()
import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    if y_pred.shape != y.shape:
        raise ValueError(f"{y_pred.shape} != {y.shape}")
    return np.square(y_pred - y).mean().item()
