# mutant: sqrt_shift_scale forgets to update scale, so it is sqrt_shift again
# expect: only shift learned
import torch


def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    shift = torch.tensor(1.0, requires_grad=True)
    for _ in range(steps):
        loss = (n - (input_val + shift) ** 2) ** 2
        loss.backward()
        with torch.no_grad():
            shift -= lr * shift.grad
        shift.grad.zero_()
    return input_val + shift.item()


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    scale = torch.tensor(1.0, requires_grad=True)
    shift = torch.tensor(1.0, requires_grad=True)
    for _ in range(steps):
        loss = (n - (input_val * scale + shift) ** 2) ** 2
        loss.backward()
        with torch.no_grad():
            shift -= lr * shift.grad
        shift.grad.zero_()
        scale.grad.zero_()
    return input_val * scale.item() + shift.item()
