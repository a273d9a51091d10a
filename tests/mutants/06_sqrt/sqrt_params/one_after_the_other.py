# mutant: updates shift, then recomputes the guess to get scale's gradient (not simultaneous)
# expect: compute both gradients at the same point
def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    shift = 1.0
    for _ in range(steps):
        guess = input_val + shift
        shift -= lr * -4 * guess * (n - guess**2)
    return input_val + shift


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    scale, shift = 1.0, 1.0
    for _ in range(steps):
        guess = input_val * scale + shift
        shift -= lr * -4 * guess * (n - guess**2)
        guess = input_val * scale + shift
        scale -= lr * -4 * guess * (n - guess**2) * input_val
    return input_val * scale + shift
