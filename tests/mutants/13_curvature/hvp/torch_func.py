# mutant: forward-over-reverse with torch.func (jvp of grad): right values, but the library's
# expect: torch.func
from torch.func import grad, jvp


def hvp(loss_fn, params, v):
    return jvp(grad(loss_fn), (params.detach(),), (v,))[1].detach()
