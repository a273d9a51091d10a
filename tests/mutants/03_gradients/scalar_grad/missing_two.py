# mutant: forgets the factor 2 that comes down from the square
# expect: factor 2
import numpy as np


def dmse_dw(x: np.ndarray, y: np.ndarray, w: float) -> float:
    return float(np.mean(x * (w * x - y)))
