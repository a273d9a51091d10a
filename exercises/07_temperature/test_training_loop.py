"""Public tests for 07_temperature/training_loop. Run them with: pytest exercises/07_temperature"""

import re

import pytest
import torch
from training_loop import DivergenceError, training_loop

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def test_small_learning_rate_moves_slowly():
    params = training_loop(100, 1e-4, torch.tensor([1.0, 0.0]), T_U, T_C)
    assert isinstance(params, torch.Tensor) and params.shape == (2,), (
        f"training_loop should return the tensor [w, b] of shape (2,), got {params!r}")
    assert torch.allclose(params, torch.tensor([0.2327, -0.0438]), atol=1e-4), (
        "100 epochs at lr 1e-4 from [1, 0] on the raw readings should end at [0.2327, -0.0438] "
        f"(the chapter's numbers), got {params.tolist()}. Check the gradient "
        "[mean(2(t_p - t_c) t_u), mean(2(t_p - t_c))] and the update params - lr * grad.")


def test_scaled_input_converges():
    params = training_loop(5000, 1e-2, torch.tensor([1.0, 0.0]), 0.1 * T_U, T_C)
    assert torch.allclose(params, torch.tensor([5.3671, -17.3012]), atol=1e-3), (
        "5000 epochs at lr 1e-2 from [1, 0] on 0.1 * t_u should end at [5.3671, -17.3012] "
        f"(the chapter's numbers), got {params.tolist()}")


# the first epoch (counting from 1) whose loss is inf, and the first whose loss is nan: float64's
# wider range lets the loss grow for longer
BLOWS_UP = {torch.float32: (11, 23), torch.float64: (88, 176)}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_raw_input_at_lr_1e_2_diverges(dtype):
    inf_at, nan_at = BLOWS_UP[dtype]
    counted = f"epoch {inf_at} counting from 1 ({inf_at - 1} from 0)"
    try:
        result = training_loop(100, 1e-2, torch.tensor([1.0, 0.0], dtype=dtype), T_U.to(dtype),
                               T_C.to(dtype))
    except DivergenceError as error:
        message = str(error)
    else:
        pytest.fail(f"on the raw readings in {dtype} at lr 1e-2 the loss is inf from {counted}: "
                    f"raise DivergenceError there. Your loop returned {result!r}. Test each epoch's "
                    "loss with torch.isfinite, which catches inf and nan alike.")
    numbers = {int(n) for n in re.findall(r"\d+", message)}
    misses_inf = (" That is where the loss first becomes nan: torch.isnan misses inf, "
                  "torch.isfinite catches both." if numbers & {nan_at, nan_at - 1} else "")
    assert numbers & {inf_at, inf_at - 1}, (
        f"on the raw readings in {dtype} at lr 1e-2 the loss is first inf at {counted}: say so "
        f"in the DivergenceError's message. Your message: {message!r}.{misses_inf}")
