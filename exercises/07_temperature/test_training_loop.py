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


def test_raw_input_at_lr_1e_2_diverges_at_epoch_11():
    with pytest.raises(DivergenceError) as caught:
        training_loop(100, 1e-2, torch.tensor([1.0, 0.0]), T_U, T_C)
    numbers = {int(n) for n in re.findall(r"\d+", str(caught.value))}
    assert numbers & {10, 11}, (
        "on the raw readings at lr 1e-2 the loss is inf at epoch 11 (counting from 1; 10 from 0): "
        f"say so in the DivergenceError's message. Your message: {str(caught.value)!r}")
