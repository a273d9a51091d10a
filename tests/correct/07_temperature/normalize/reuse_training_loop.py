# style: imports training_loop from the kata beside it and runs it on t.std(unbiased=True) data
from functools import partial

import torch
from training_loop import training_loop


def standardize(t):
    with torch.no_grad():
        mean, std = t.mean(), t.std(unbiased=True)
        return (t - mean) / std, mean, std


def _predict(params, mean, std, readings):
    return (params[0] * (readings - mean) / std + params[1]).detach()


def fit_temperature(t_u, t_c):
    z, mean, std = standardize(t_u)
    params = training_loop(300, 0.1, torch.tensor([1.0, 0.0], dtype=t_u.dtype), z, t_c.detach())
    return partial(_predict, params, mean, std)
