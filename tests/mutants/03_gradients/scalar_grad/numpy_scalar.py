# mutant: returns numpy's scalar instead of a Python float
# expect: Python float
import numpy as np


def dmse_dw(x: np.ndarray, y: np.ndarray, w: float) -> float:
    return np.mean(2 * x * (w * x - y))
