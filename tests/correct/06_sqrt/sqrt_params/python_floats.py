# style: by hand in Python floats, a helper for dLoss/dguess and the chain rule for each parameter
def _dloss_dguess(n: float, guess: float) -> float:
    return -4 * guess * (n - guess**2)


def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    shift = 1.0
    for _ in range(steps):
        shift -= lr * _dloss_dguess(n, input_val + shift)  # d guess / d shift = 1
    return input_val + shift


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    scale, shift = 1.0, 1.0
    for _ in range(steps):
        slope = _dloss_dguess(n, input_val * scale + shift)
        scale, shift = scale - lr * slope * input_val, shift - lr * slope
    return input_val * scale + shift
