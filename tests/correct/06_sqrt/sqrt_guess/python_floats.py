# style: by hand in Python floats, no torch at all
def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    g = float(guess)
    for _ in range(steps):
        g -= lr * (-4 * g * (n - g * g))
    return g
