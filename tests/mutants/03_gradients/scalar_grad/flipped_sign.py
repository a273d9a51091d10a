# mutant: subtracts the wrong way round, target minus prediction
# expect: sign is flipped
import numpy as np


def dmse_dw(x: np.ndarray, y: np.ndarray, w: float) -> float:
    return float(np.mean(2 * x * (y - w * x)))
