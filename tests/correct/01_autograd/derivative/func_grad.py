# style: torch.func.grad applied to f (no backward()), a demo printed at import and a __main__ block
import torch
from torch.func import grad


def derivative(f, x):
    return grad(f)(torch.tensor(x, dtype=torch.float64)).item()


print("d/dx x² at 3 =", derivative(lambda t: t**2, 3.0))

if __name__ == "__main__":
    print(derivative(torch.sin, 0.0))
