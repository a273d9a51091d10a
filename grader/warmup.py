"""Pay torch's lazy first-use costs once, in a parent, before it forks judges or learners.

The first vector backward imports sympy (~0.7 s) and the first optimizer step imports much of
torch's compiler stack (~2 s): paid in every fresh process, they would dwarf a kata's tests.
Only tiny tensors are used, so no OpenMP pool starts before a fork (see ISOLATION's trap).
"""

from __future__ import annotations


def warm_torch() -> None:
    import numpy as np
    import torch
    from torch import nn

    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    (x * 2).backward(torch.ones(3, dtype=torch.float64))
    torch.autograd.grad((x**2).sum(), x)
    torch.func.grad(lambda t: (t**2).sum())(torch.ones(2))
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
    for optimizer in (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
                      torch.optim.SGD(model.parameters(), lr=0.1)):
        loss = nn.MSELoss()(model(torch.ones(4, 2)), torch.zeros(4, 1))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    torch.randperm(4, generator=torch.Generator().manual_seed(0))
    np.mean((np.arange(4.0) - 1.0) ** 2)
