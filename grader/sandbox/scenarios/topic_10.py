"""Scenarios for 10_classification: the learner side's grad mode, for katas written "by hand"."""

from __future__ import annotations

import torch

from grader.sandbox.scenarios import scenario


@scenario("set_grad_enabled")
def set_grad_enabled(enabled: bool) -> None:
    """torch.set_grad_enabled(enabled) learner-side: the kata's next calls run with autograd on or off
    (the contract's "by hand": a hidden suite may call such a kata under torch.no_grad())."""
    torch.set_grad_enabled(bool(enabled))
