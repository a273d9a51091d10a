# mutant: takes the central differences in the dtype of x, so float32 x gives noise
# expect: float64
import torch


def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    base = x.detach().clone()
    analytic = grad_f(base).detach()
    numerical = torch.zeros_like(base)
    with torch.no_grad():
        for i in range(base.numel()):
            plus, minus = base.clone(), base.clone()
            plus.view(-1)[i] += eps
            minus.view(-1)[i] -= eps
            numerical.view(-1)[i] = (f(plus) - f(minus)) / (2 * eps)
    return bool(((analytic - numerical).abs() <= atol + rtol * numerical.abs()).all())
