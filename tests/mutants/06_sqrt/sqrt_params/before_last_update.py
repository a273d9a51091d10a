# mutant: returns the guess computed at the top of the last step, before that step's update
# expect: before the last update
import torch


def _descend(n, input_val, lr, steps, learn_scale):
    scale = torch.tensor(1.0, requires_grad=learn_scale)
    shift = torch.tensor(1.0, requires_grad=True)
    guess = input_val * scale + shift
    for _ in range(steps):
        guess = input_val * scale + shift
        loss = (n - guess**2) ** 2
        loss.backward()
        with torch.no_grad():
            shift -= lr * shift.grad
            if learn_scale:
                scale -= lr * scale.grad
                scale.grad.zero_()
        shift.grad.zero_()
    return guess.item()


def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    return _descend(n, input_val, lr, steps, False)


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    return _descend(n, input_val, lr, steps, True)
