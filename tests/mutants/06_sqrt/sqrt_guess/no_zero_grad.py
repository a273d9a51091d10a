# mutant: never clears guess.grad, so each step uses the sum of all gradients so far
# expect: accumulat
import torch


def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    g = torch.tensor(guess, requires_grad=True)
    for _ in range(steps):
        loss = (n - g**2) ** 2
        loss.backward()
        with torch.no_grad():
            g -= lr * g.grad
    return g.item()
