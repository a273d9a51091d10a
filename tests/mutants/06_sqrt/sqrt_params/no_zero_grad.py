# mutant: never clears the gradients, so they pile up from step to step
# expect: accumulat
import torch


def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    shift = torch.tensor(1.0, requires_grad=True)
    for _ in range(steps):
        loss = (n - (input_val + shift) ** 2) ** 2
        loss.backward()
        with torch.no_grad():
            shift -= lr * shift.grad
    return input_val + shift.item()


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    scale = torch.tensor(1.0, requires_grad=True)
    shift = torch.tensor(1.0, requires_grad=True)
    for _ in range(steps):
        loss = (n - (input_val * scale + shift) ** 2) ** 2
        loss.backward()
        with torch.no_grad():
            scale -= lr * scale.grad
            shift -= lr * shift.grad
    return input_val * scale.item() + shift.item()
