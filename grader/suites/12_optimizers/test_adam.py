"""Hidden suite for 12_optimizers/adam."""

import torch

from grader.suites.shared import optimizers_adam as shared
from grader.suites.shared.optimizers_adam import AdamTests, Case, check_trajectory, known_for, model_spec

CONTRACT = ("class Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8), step(), zero_grad(): per "
            "parameter m, v and its own t; for each p with a .grad: t ← t+1, m ← β1·m + (1−β1)·g, "
            "v ← β2·v + (1−β2)·g², p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t); "
            "in place, unrecorded, .grad left as is; zero_grad() sets .grad to None. Same trajectory "
            "as torch.optim.Adam. ValueError for empty params, lr < 0, eps < 0, β outside [0, 1)")

KIND = "Adam"
F32, F64 = torch.float32, torch.float64
SKIPS = frozenset({(0, 1), (1, 1), (5, 1), (3, 2), (4, 2), (8, 2)})  # (update, parameter): no gradient

SEED_VALUES = [torch.tensor([1.0], dtype=F64)]
SEED_GRADS = [[torch.tensor([0.5], dtype=F64)]]
SEED_HYPER = {"lr": 0.1}
SEED_EXPECTED = shared.torch_trajectory(KIND, SEED_VALUES, shared.given(SEED_GRADS), 1, SEED_HYPER)


class TestAdam(AdamTests):
    kind = KIND
    contract = CONTRACT
    given_cases = {
        "float64": Case(KIND, F64, {"lr": 0.01, "betas": (0.8, 0.95), "eps": 1e-3}, 25, seed=10),
        "float32": Case(KIND, F32, {"lr": 0.02, "betas": (0.0, 0.99), "eps": 1e-2}, 25, seed=20),
        "float64-defaults": Case(KIND, F64, {}, 10, seed=30),
        "float32-beta2": Case(KIND, F32, {"lr": 0.1, "betas": (0.95, 0.9995), "eps": 1e-6}, 25,
                              seed=40),
    }
    # 50 updates: with betas (0.9, 0.99), m and v that add the whole gradient leave m̂/√v̂ as it is,
    # and only ε tells, in float32 from update 36 to 53 (the contract allows up to 100)
    loss_cases = {dtype: Case(KIND, getattr(torch, dtype), {"lr": 0.01, "betas": (0.9, 0.99),
                                                            "eps": 1e-6}, 50, seed=50, data=True)
                  for dtype in ("float32", "float64")}
    skip_cases = {dtype: Case(KIND, getattr(torch, dtype), {"lr": 0.05, "betas": (0.9, 0.99)}, 12,
                              seed=60, missing=SKIPS)
                  for dtype in ("float64", "float32")}
    generator_case = Case(KIND, F32, {"lr": 0.05, "betas": (0.9, 0.99)}, 20, seed=70, data=True)
    short_case = Case(KIND, F64, {"lr": 0.01}, 3, seed=80)

    def check_seed(self, learner) -> None:
        record, _ = shared.train(learner, KIND, model_spec(SEED_VALUES, grads=SEED_GRADS), SEED_HYPER,
                                 1, CONTRACT)
        check_trajectory(record, SEED_EXPECTED, F64, call="Adam([p], lr=0.1): one step from p = 1 "
                         "with p.grad = 0.5", inputs={"p": SEED_VALUES[0], "p.grad": 0.5, "lr": 0.1},
                         contract=CONTRACT, names=("p",), rtol=1e-12, atol=1e-12,
                         known=known_for(KIND, SEED_VALUES, shared.given(SEED_GRADS), 1, SEED_HYPER))
