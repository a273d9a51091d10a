"""Public tests for 07_temperature/normalize. Run them with: pytest exercises/07_temperature"""

import math

import pytest
import torch
from normalize import fit_temperature, standardize

T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])

BESSEL = ("you used the population std (divide by N): the std here has Bessel's correction, divide "
          "by N − 1, as t.std() does (not unbiased=False / correction=0)")
RAW_AS_STANDARDIZED = ("the predictor treats raw readings as if they were standardized: inside it, compute "
                       "(readings − mean)/std with the training t_u's mean and std before applying w and b")


def best_line(t_u, t_c):
    """The least-squares line through the data, in float64: (w, b, its mean squared error)."""
    x, y = t_u.double(), t_c.double()
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    w, b = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1).tolist()
    return w, b, ((w * x + b - y) ** 2).mean().item()


def test_standardize_values():
    z, mean, std = standardize(T_U)
    assert abs(float(mean) - 51.8) < 1e-3, f"the mean of t_u is 51.8, got {float(mean)}"
    assert abs(float(std) - 16.8319) < 1e-3, (
        "the std of t_u with Bessel's correction (t_u.std(): divide the sum of squared deviations "
        f"by N - 1 = 10) is 16.8319, got {float(std)}"
        + (f": {BESSEL}" if abs(float(std) - 16.0486) < 1e-3 else "")
        + (": that is the variance, take its square root" if abs(float(std) - 283.31) < 0.01 else ""))
    expected = (T_U - 51.8) / 16.8319
    if not torch.allclose(z, expected, atol=1e-4):
        why = ("the mean was not subtracted: (t − mean) / std" if torch.allclose(z, T_U / 16.8319, atol=1e-4)
               else "divided by the std before subtracting the mean: (t − mean) / std"
               if torch.allclose(z, T_U / 16.8319 - 51.8, atol=1e-3) else "it should be (t_u − mean) / std")
        raise AssertionError(f"standardize(t_u)[0] should be (t_u − 51.8) / 16.8319 = {expected.tolist()}, "
                             f"got {z.tolist()}: {why}")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_standardize_types_and_leaves_t_alone(dtype):
    t = torch.tensor([3.0, -1.0, 4.5, 10.0, 2.0], dtype=dtype, requires_grad=True)
    kept = t.detach().clone()
    result = standardize(t)
    assert isinstance(result, tuple) and len(result) == 3, (
        f"standardize(t) should return a tuple (standardized, mean, std), got {result!r}")
    for name, part, shapes in [("the standardized tensor", result[0], [(5,)]),
                               ("mean", result[1], [(), (1,)]), ("std", result[2], [(), (1,)])]:
        assert type(part) is torch.Tensor, f"standardize(t): {name} should be a torch.Tensor, got {part!r}"
        assert part.dtype == dtype, (
            f"standardize(t): {name} is {part.dtype} for {dtype} input: work in the dtype of t")
        assert tuple(part.shape) in shapes, f"standardize(t): {name} has shape {tuple(part.shape)}"
        assert part.grad_fn is None and not part.requires_grad, (
            f"standardize(t): {name} still carries an autograd graph (t required grad): the results carry "
            "no graph, so work on t.detach()")
    x = kept.double()
    assert torch.allclose(result[2].double().reshape(()), x.std(), rtol=1e-5), (
        f"standardize(t): std should be {x.std().item():.6g}, got {result[2].tolist()}"
        + (f": {BESSEL}" if torch.allclose(result[2].double().reshape(()), x.std(unbiased=False)) else ""))
    assert torch.equal(t.detach(), kept) and t.requires_grad and t.grad is None, (
        "standardize(t) changed t (its values, requires_grad or .grad): leave it as it was")


def predictions(predict, readings):
    got = predict(readings)
    assert type(got) is torch.Tensor, f"the predictor should return a torch.Tensor, got {got!r}"
    return got


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_fit_is_within_one_percent_of_the_best_line(dtype):
    t_u, t_c = T_U.to(dtype), T_C.to(dtype)
    w, b, best = best_line(t_u, t_c)
    predict = fit_temperature(t_u, t_c)
    got = predictions(predict, t_u).detach().double()
    mse = ((got - t_c.double()) ** 2).mean().item()
    if math.isfinite(mse) and mse <= 1.01 * best:
        return
    x = t_u.double()
    if torch.allclose(got, w * x.std() * x + w * x.mean() + b, rtol=1e-2, atol=1e-2):
        raise AssertionError(RAW_AS_STANDARDIZED)
    raise AssertionError(
        f"the predictor's mean squared error on the data ({dtype}) is {mse:.4f}; the best line (w = {w:.4f}, "
        f"b = {b:.4f}) reaches {best:.4f}, and within 1% means at most {1.01 * best:.4f}"
        + (": it predicts nan or inf, so gradient descent diverged" if not math.isfinite(mse) else "")
        + ". Standardize t_u, and run more epochs or a larger learning rate (about 0.1 suits standardized "
        "input)")


def test_predictor_takes_new_readings_in_original_units():
    w, b, best = best_line(T_U, T_C)
    mean, std = T_U.double().mean(), T_U.double().std()
    predict = fit_temperature(T_U, T_C)
    for batch in ([20.0, 45.0, 70.0, 95.0, 33.3], [50.0]):
        readings = torch.tensor(batch)
        got = predictions(predict, readings).detach().double().reshape(-1)
        r = readings.double()
        expected = w * r + b
        # any line within 1% of the optimum is at most this far from the best line at a reading
        spread = T_U.double().std(unbiased=False)
        allowed = torch.sqrt(1 + ((r - mean) / spread) ** 2) * math.sqrt(0.01 * best)
        allowed = allowed + 1e-3 * max(1.0, float(expected.abs().max()))
        if got.shape == r.shape and torch.isfinite(got).all() and ((got - expected).abs() <= allowed).all():
            continue
        own = w * ((r - r.mean()) / r.std() * std + mean) + b
        if len(batch) == 1 and not torch.isfinite(got).all():
            why = ("the predictor returns nan for a single reading: it seems to standardize new readings "
                   "with their own mean and std (one reading has no std). Use the mean and std of the "
                   "training t_u")
        elif len(batch) > 1 and got.shape == r.shape and ((got - own).abs() <= allowed).all():
            why = ("the predictor standardizes new readings with their own mean and std; use the mean and "
                   "std of the training t_u, which standardize returned")
        elif got.shape == r.shape and ((got - (w * std * r + w * mean + b)).abs() <= allowed).all():
            why = RAW_AS_STANDARDIZED
        else:
            why = "the predictions for new readings are further from the best line than a good fit can be"
        shown = [round(v, 3) for v in expected.tolist()]
        raise AssertionError(f"predict(tensor({batch})) should be about {shown} Celsius, got {got.tolist()}: "
                             f"{why}")


def test_predictor_output_is_plain_and_shaped_like_the_readings():
    t_u, t_c = T_U.double(), T_C.double()
    predict = fit_temperature(t_u, t_c)
    readings = torch.linspace(20.0, 80.0, 6, dtype=torch.float64)
    got = predictions(predict, readings)
    assert got.dtype == torch.float64 and got.shape == (6,), (
        f"for float64 data and 6 float64 readings the predictor should return float64 of shape (6,), got "
        f"{got.dtype} of shape {tuple(got.shape)}: one temperature per reading, in the dtype of the inputs")
    assert got.grad_fn is None and not got.requires_grad, (
        "the predictor's output still carries an autograd graph: predict with detached w and b (or under "
        "torch.no_grad())")
