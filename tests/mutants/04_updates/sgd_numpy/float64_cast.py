# mutant: casts arrays to float64, so float32 weights come back as float64
# expect: work in the dtype of the inputs
import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    if isinstance(w, np.ndarray):
        return np.array(w, dtype=np.float64) - lr * np.array(grad, dtype=np.float64)
    return w - lr * grad
