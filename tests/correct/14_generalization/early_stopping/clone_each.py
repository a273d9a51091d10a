# style: clones each tensor of state_dict() by hand; the stop test counts epochs since the best
import math

import torch


def fit_early_stopping(model, train_epoch, val_loss, max_epochs: int, patience: int):
    if max_epochs < 1:
        raise ValueError("max_epochs < 1")
    if patience < 1:
        raise ValueError("patience < 1")
    losses: list[float] = []
    best_epoch = 0
    best_state: dict[str, torch.Tensor] = {}
    for epoch in range(max_epochs):
        train_epoch()
        losses.append(float(val_loss()))
        if epoch == 0 or (not math.isnan(losses[-1]) and losses[-1] < losses[best_epoch]):
            best_epoch = epoch
            best_state = {name: t.detach().clone() for name, t in model.state_dict().items()}
        if epoch - best_epoch >= patience:
            break
    model.load_state_dict(best_state)
    return best_state, best_epoch, losses
