# style: mean and Bessel std written out; trains in float32 whatever the data's dtype; a lambda
import torch


def standardize(t):
    t = t.detach()
    n = t.numel()
    mean = t.sum() / n
    std = torch.sqrt(((t - mean) ** 2).sum() / (n - 1))
    return (t - mean) / std, mean, std


def fit_temperature(t_u, t_c):
    z, mean, std = standardize(t_u)
    z, target = z.float(), t_c.detach().float()
    params = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.SGD([params], lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        loss = ((params[0] * z + params[1] - target) ** 2).mean()
        loss.backward()
        optimizer.step()
    w, b = params.detach()
    return lambda readings: (w * (readings.detach() - mean) / std + b).to(readings.dtype)
