# style: torch.allclose(analytic, numerical, rtol, atol), which is this very rule; steps from torch.eye
import torch


def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    base = x.detach().to(torch.float64).clone()
    analytic = grad_f(base.clone()).detach().to(torch.float64)
    if analytic.shape != base.shape:
        return False
    steps = torch.eye(base.numel(), dtype=torch.float64) * eps
    numerical = torch.stack([(f(base + s.reshape(base.shape)) - f(base - s.reshape(base.shape))) / (2 * eps)
                             for s in steps]).reshape(base.shape)
    return torch.allclose(analytic, numerical, rtol=rtol, atol=atol)
