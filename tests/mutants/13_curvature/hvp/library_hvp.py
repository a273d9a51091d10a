# mutant: lets the library do it: torch.autograd.functional.hvp
# expect: torch.autograd.functional
from torch.autograd.functional import hvp as library_hvp


def hvp(loss_fn, params, v):
    return library_hvp(loss_fn, params.detach(), v)[1].detach()
