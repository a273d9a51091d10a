"""Kata 10_classification/cross_entropy: the softmax cross-entropy, stable at any logit."""

import torch


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Return the mean cross-entropy of logits (N, C) against class indices target (N,), 0-d.

    Row i costs log Σⱼ e^(z_ij) − z_i,target_i: the log-sum-exp of the row minus the logit of the
    right class. The result is the mean over the rows, what torch.nn.functional.cross_entropy
    returns.

    - Subtract each row's own max m_i first: log Σⱼ e^(z_ij) = m_i + log Σⱼ e^(z_ij − m_i). Every
      exponent is then ≤ 0, so nothing overflows: rows like [1e4, 0, −1e4] stay finite in float32.
    - Do not shift logits in place (no -=, sub_): that changes the caller's tensor.
    - Keep it differentiable with respect to logits.
    - Write it yourself: no cross_entropy, nll_loss, softmax, log_softmax or logsumexp, whether
      from torch, a Tensor method, torch.nn, torch.nn.functional or torch.special.
    - Raise ValueError when logits is not 2-D, when target is not an int64 tensor of shape (N,) (a
      float one-hot or probability target is an error), or when a target lies outside [0, C):
      −1 must not quietly pick the last class.
    """
    ### BEGIN SOLUTION
    if logits.dim() != 2:
        raise ValueError(f"logits must be 2-D (N, C); it has shape {tuple(logits.shape)}")
    n, c = logits.shape
    if not isinstance(target, torch.Tensor) or target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError(f"target must be an int64 tensor of shape ({n},) holding class indices")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError(f"every target must lie in [0, {c})")
    m = logits.max(dim=1, keepdim=True).values.detach()
    log_sum_exp = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    picked = logits[torch.arange(n), target]
    return (log_sum_exp - picked).mean()
    ### END SOLUTION
