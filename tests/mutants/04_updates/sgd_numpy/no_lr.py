# mutant: forgets the learning rate and subtracts the whole gradient
# expect: learning rate is missing
import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    return w - grad
