# style: float32 tensors, torch.autograd.grad, scale and shift stacked in one parameter tensor
import torch


def sqrt_shift(n, input_val, lr, steps):
    shift = torch.tensor(1.0, requires_grad=True)
    for _ in range(steps):
        (g,) = torch.autograd.grad((n - (input_val + shift) ** 2) ** 2, shift)
        with torch.no_grad():
            shift -= lr * g
    return (input_val + shift).item()


def sqrt_shift_scale(n, input_val, lr, steps):
    params = torch.tensor([1.0, 1.0], requires_grad=True)  # [scale, shift]
    for _ in range(steps):
        guess = input_val * params[0] + params[1]
        (g,) = torch.autograd.grad((n - guess**2) ** 2, params)
        with torch.no_grad():
            params -= lr * g
    return (input_val * params[0] + params[1]).item()
