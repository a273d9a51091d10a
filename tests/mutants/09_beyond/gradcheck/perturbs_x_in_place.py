# mutant: x.detach().to(float64) is x's own storage when x is float64; perturbs it and restores by arithmetic
# expect: changed the values
import torch


def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    x64 = x.detach().to(torch.float64)
    analytic = grad_f(x64).detach().to(torch.float64)
    numerical = torch.zeros_like(x64)
    flat = x64.view(-1)
    with torch.no_grad():
        for i in range(flat.numel()):
            flat[i] += eps
            up = f(x64)
            flat[i] -= 2 * eps
            down = f(x64)
            flat[i] += eps
            numerical.view(-1)[i] = (up - down) / (2 * eps)
    return bool(((analytic - numerical).abs() <= atol + rtol * numerical.abs()).all())
