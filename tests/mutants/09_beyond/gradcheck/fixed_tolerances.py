# mutant: compares with fixed tolerances, ignoring the atol and rtol passed in
# expect: passed in
import torch


def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    base = x.detach().to(torch.float64).clone()
    analytic = grad_f(base.clone()).detach().to(torch.float64)
    numerical = torch.zeros_like(base)
    with torch.no_grad():
        for i in range(base.numel()):
            plus, minus = base.clone(), base.clone()
            plus.view(-1)[i] += eps
            minus.view(-1)[i] -= eps
            numerical.view(-1)[i] = (f(plus) - f(minus)) / (2 * eps)
    return bool(torch.allclose(analytic, numerical, rtol=1e-3, atol=1e-5))
