"""Hidden suite for 12_optimizers/adamw."""

import pytest
import torch

from grader.suites.shared import optimizers_adam as shared
from grader.suites.shared.optimizers_adam import AdamTests, Case, check_trajectory, known_for, model_spec

CONTRACT = ("class AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2): Adam with "
            "decoupled weight decay λ: for each p with a .grad, p ← p·(1 − lr·λ) from p before the "
            "step, then Adam's update with m and v from the loss's gradient alone (λ never enters "
            "them); per-parameter t; in place, unrecorded, .grad left as is; zero_grad() sets .grad "
            "to None. Same trajectory as torch.optim.AdamW. ValueError for empty params, lr < 0, "
            "eps < 0, β outside [0, 1), weight_decay < 0")

KIND = "AdamW"
F32, F64 = torch.float32, torch.float64
SKIPS = frozenset({(0, 1), (1, 1), (5, 1), (3, 2), (4, 2), (8, 2)})  # (update, parameter): no gradient

SEED_VALUES = [torch.tensor([1.0], dtype=F64)]
SEED_GRADS = [[torch.tensor([0.0], dtype=F64)]]
SEED_HYPER = {"lr": 0.1, "weight_decay": 0.1}
SEED_EXPECTED = shared.torch_trajectory(KIND, SEED_VALUES, shared.given(SEED_GRADS), 10, SEED_HYPER)


class TestAdamW(AdamTests):
    kind = KIND
    contract = CONTRACT
    zero_decay = {"weight_decay": 0.0}
    given_cases = {
        "float64": Case(KIND, F64, {"lr": 0.01, "betas": (0.8, 0.95), "eps": 1e-3,
                                    "weight_decay": 0.1}, 25, seed=110),
        "float32": Case(KIND, F32, {"lr": 0.02, "betas": (0.0, 0.99), "eps": 1e-2,
                                    "weight_decay": 0.5}, 25, seed=120),
        "float64-defaults": Case(KIND, F64, {}, 10, seed=130),
        "float32-beta2": Case(KIND, F32, {"lr": 0.1, "betas": (0.95, 0.9995), "eps": 1e-6,
                                          "weight_decay": 0.05}, 25, seed=140),
    }
    # 50 updates, as Adam's (the contract allows up to 100)
    loss_cases = {dtype: Case(KIND, getattr(torch, dtype), {"lr": 0.01, "betas": (0.9, 0.99),
                                                            "eps": 1e-6, "weight_decay": 0.05},
                              50, seed=150, data=True)
                  for dtype in ("float32", "float64")}
    skip_cases = {dtype: Case(KIND, getattr(torch, dtype), {"lr": 0.05, "betas": (0.9, 0.99),
                                                            "weight_decay": 0.2}, 12,
                              seed=160, missing=SKIPS)
                  for dtype in ("float64", "float32")}
    generator_case = Case(KIND, F32, {"lr": 0.05, "betas": (0.9, 0.99), "weight_decay": 0.1}, 20,
                          seed=170, data=True)
    short_case = Case(KIND, F64, {"lr": 0.01}, 3, seed=180)

    def check_seed(self, learner) -> None:
        record, _ = shared.train(learner, KIND, model_spec(SEED_VALUES, grads=SEED_GRADS), SEED_HYPER,
                                 10, CONTRACT)
        check_trajectory(record, SEED_EXPECTED, F64, call="AdamW([p], lr=0.1, weight_decay=0.1): "
                         "10 steps from p = 1 with a zero loss gradient (0.99¹⁰ = 0.904382)",
                         inputs={"p": SEED_VALUES[0], "p.grad": 0.0, "lr": 0.1, "weight_decay": 0.1},
                         contract=CONTRACT, names=("p",),
                         known=known_for(KIND, SEED_VALUES, shared.given(SEED_GRADS), 10, SEED_HYPER,
                                         only=("l2", "no_lr", "no_decay", "all")))

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_negative_weight_decay_raises(self, learner):
        """ValueError for weight_decay < 0"""
        leaf = torch.zeros(2, requires_grad=True)
        self.check_raises(learner, [leaf], {"weight_decay": -0.01}, "[p], weight_decay=-0.01",
                          "weight_decay must be ≥ 0")
