# mutant: differentiates by hand and forgets the factor 2 from the outer square
# expect: factor 2
def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    for _ in range(steps):
        gradient = -2 * guess * (n - guess**2)
        guess = guess - lr * gradient
    return guess
