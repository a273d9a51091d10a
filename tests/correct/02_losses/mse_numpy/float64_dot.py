# style: float64 internals and a dot product of the flattened differences, np.shape compared
import numpy as np


def mse_np(y_pred, y) -> float:
    if np.shape(y_pred) != np.shape(y):
        raise ValueError("shapes differ")
    d = (np.asarray(y_pred, dtype=np.float64) - np.asarray(y, dtype=np.float64)).ravel()
    return float(d @ d / d.size)
