# style: nudges a float64 copy in place element by element and puts the value back; .item() arithmetic
import torch


def gradcheck(f, grad_f, x, eps=1e-6, atol=1e-5, rtol=1e-3):
    x64 = x.detach().double().clone()
    a = grad_f(x64.clone()).detach().double()
    if a.shape != x64.shape:
        return False
    flat = x64.view(-1)
    n = torch.empty_like(flat)
    with torch.no_grad():
        for i in range(flat.numel()):
            keep = flat[i].item()
            flat[i] = keep + eps
            up = f(x64).item()
            flat[i] = keep - eps
            down = f(x64).item()
            flat[i] = keep
            n[i] = (up - down) / (2 * eps)
    return bool(((a.view(-1) - n).abs() <= atol + rtol * n.abs()).all())
