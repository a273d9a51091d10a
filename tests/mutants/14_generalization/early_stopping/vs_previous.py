# mutant: resets the patience counter whenever the loss beats the previous epoch's
# expect: beats the previous epoch's
"""Kata 14_generalization/early_stopping: stop when the validation loss stops improving."""

import copy
from collections.abc import Callable

import torch
from torch import nn


def fit_early_stopping(model: nn.Module, train_epoch: Callable[[], object],
                       val_loss: Callable[[], object], max_epochs: int,
                       patience: int) -> tuple[dict[str, torch.Tensor], int, list[float]]:
    """Train epoch by epoch, keep the best weights seen, stop once they stop getting better.

    For epoch 0, 1, 2, ...: call train_epoch() (it changes the model's weights), then record
    float(val_loss()).
    - Epoch 0 is the best so far. A later epoch becomes the best only if its loss is strictly
      lower than the best so far: a tie is no improvement, and neither is nan.
    - Stop after max_epochs epochs, or as soon as `patience` epochs in a row have not improved.
    - Right after the best epoch's validation, save best_state = a deep copy of
      model.state_dict() (copy.deepcopy). model.state_dict() alone holds the live tensors of
      the model, which the next epochs keep changing: the copy must share no tensor with it.
    - At the end, load the best weights back into the model: model.load_state_dict(best_state).

    Return (best_state, best_epoch, losses): best_epoch counts from 0, losses holds the
    validation loss (a Python float) of every epoch that ran. Raise ValueError if max_epochs < 1
    or patience < 1.

    Example: losses 5, 4, 3, 3.5, 3.2, 3.1, 2, ... with patience 3: epochs 3, 4 and 5 do not beat
    3, so training stops after epoch 5, and best_epoch is 2.
    """
    if max_epochs < 1 or patience < 1:
        raise ValueError(f"max_epochs and patience must be at least 1, got {max_epochs} and {patience}")
    losses: list[float] = []
    best_state: dict[str, torch.Tensor] = {}
    best_loss, best_epoch, waited = 0.0, 0, 0
    for epoch in range(max_epochs):
        train_epoch()
        loss = float(val_loss())
        losses.append(loss)
        if epoch == 0 or loss < best_loss:
            best_loss, best_epoch, waited = loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        elif len(losses) > 1 and loss < losses[-2]:
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_state)
    return best_state, best_epoch, losses
