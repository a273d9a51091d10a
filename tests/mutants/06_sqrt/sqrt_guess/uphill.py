# mutant: adds the gradient instead of subtracting it, so the guess climbs the loss
# expect: sign
def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    for _ in range(steps):
        gradient = -4 * guess * (n - guess**2)
        guess = guess + lr * gradient
    return guess
