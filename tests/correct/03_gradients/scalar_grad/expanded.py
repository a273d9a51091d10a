# style: the expanded closed form 2w·mean(x²) − 2·mean(x·y), np.average
import numpy as np


def dmse_dw(x, y, w: float) -> float:
    return float(2 * w * np.average(x * x) - 2 * np.average(x * y))
