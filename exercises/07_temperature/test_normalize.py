"""Public tests for 07_temperature/normalize. Run them with: pytest exercises/07_temperature"""

import torch
from normalize import fit_temperature, standardize

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])


def best_line():
    """The least-squares line through the data, in float64: (w, b, its mean squared error)."""
    x, y = T_U.double(), T_C.double()
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    w, b = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1).tolist()
    return w, b, ((w * x + b - y) ** 2).mean().item()


def test_standardize_uses_the_sample_std():
    z, mean, std = standardize(T_U)
    assert abs(float(mean) - 51.8) < 1e-3, f"the mean of t_u is 51.8, got {float(mean)}"
    assert abs(float(std) - 16.8319) < 1e-3, (
        "the std of t_u with Bessel's correction (t_u.std(): divide the sum of squared deviations "
        f"by N - 1 = 10) is 16.8319, got {float(std)}"
        + (" (that is the population std: you divided by N)" if abs(float(std) - 16.0486) < 1e-3
           else ""))
    assert torch.allclose(z, (T_U - 51.8) / 16.8319, atol=1e-4), (
        f"standardize(t_u)[0] should be (t_u - mean) / std, got {z.tolist()}")


def test_fit_is_within_one_percent_of_the_best_line():
    w, b, best = best_line()
    predict = fit_temperature(T_U, T_C)
    mse = ((predict(T_U).double() - T_C.double()) ** 2).mean().item()
    assert mse <= 1.01 * best, (
        f"the predictor's mean squared error on the data is {mse:.4f}; the best line "
        f"(w = {w:.4f}, b = {b:.4f}) reaches {best:.4f}, and within 1% means at most "
        f"{1.01 * best:.4f}. Standardize t_u, and run more epochs or a larger learning rate.")


def test_predictor_takes_new_readings_in_original_units():
    w, b, _ = best_line()
    predict = fit_temperature(T_U, T_C)
    readings = torch.tensor([50.0])
    got = predict(readings)
    expected = w * 50.0 + b
    assert torch.isfinite(got).all() and abs(got.reshape(-1)[0].item() - expected) < 0.25, (
        f"predict(tensor([50.0])) should be about {expected:.3f} Celsius, got {got.tolist()}. "
        "Scale new readings with the training data's mean and std, not their own.")
