# mutant: returns the learned shift instead of the guess input_val + shift
# expect: that is the final shift, not the guess
def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    shift = 1.0
    for _ in range(steps):
        guess = input_val + shift
        shift -= lr * -4 * guess * (n - guess**2)
    return shift


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    scale, shift = 1.0, 1.0
    for _ in range(steps):
        guess = input_val * scale + shift
        d = -4 * guess * (n - guess**2)
        scale, shift = scale - lr * d * input_val, shift - lr * d
    return input_val * scale + shift
