# mutant: the forward difference (f(x + eps·eᵢ) − f(x)) / eps instead of the central one
# expect: central differences
import torch


def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    base = x.detach().to(torch.float64).clone()
    analytic = grad_f(base.clone()).detach().to(torch.float64)
    numerical = torch.zeros_like(base)
    with torch.no_grad():
        f0 = f(base)
        for i in range(base.numel()):
            plus = base.clone()
            plus.view(-1)[i] += eps
            numerical.view(-1)[i] = (f(plus) - f0) / eps
    return bool(((analytic - numerical).abs() <= atol + rtol * numerical.abs()).all())
