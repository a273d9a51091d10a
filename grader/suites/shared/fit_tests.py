"""The tests fit_numpy, fit_autograd and fit_optim share, written once: a suite subclasses
``FitTests`` with its ``Fit`` and what differs (its data seed, its fixes).

The class's name does not start with "Test", so pytest collects these tests only in the suites'
subclasses, in the order they stand here. The references of the data the judge makes are run
when a subclass is defined, at collection, so every judge forked from the grader shares them.
"""

from __future__ import annotations

import pytest
import torch

from grader.grading import checks
from grader.suites.shared import fit_loops

OTHER_CASES = ["float32-random", "float64-offset", "one-sample-large"]
OTHER_EPOCHS = 40
TRAJECTORY = 30


class FitTests:
    """The seed's numbers, other data, the returned types, and the inputs left alone."""

    fit: fit_loops.Fit
    data_seed: int  # other_data's seed: each kata sees its own random data
    numpy: bool = False  # other_data as numpy arrays
    w_fix: str  # the return statement that hands back w as a Python float
    tensor_fix: str  # how to append a loss that is a tensor as a Python float
    dtype_fix: str  # how to make w in the dtype of the data
    one_epoch_extra: str = "at w = 0, dL/dw = mean(2x(0 − 2x)) = −30, so w = 0 − 0.01·(−30)"
    other: dict  # case → (X, y, lr, the reference run of OTHER_EPOCHS), at collection
    seed_trajectory: tuple  # the reference run of the seed over TRAJECTORY epochs, at collection

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.other = {}
        for case in OTHER_CASES:
            X, y, lr = fit_loops.other_data(case, seed=cls.data_seed, numpy=cls.numpy)
            cls.other[case] = (X, y, lr, fit_loops.run(X, y, lr, OTHER_EPOCHS))
        cls.seed_trajectory = fit_loops.run(*cls.fit.seed, 0.01, TRAJECTORY)

    def first_loss_known(self) -> dict:
        """The wrong first losses worth naming: label → value."""
        X, y = self.fit.seed
        return self.fit.known_values(X, y, 0.01, 1, lambda r: r[1][0], 30.0)

    def one_epoch_known(self) -> dict | None:
        """The wrong values of w after one epoch worth naming: label → value."""
        X, y = self.fit.seed
        return self.fit.known_values(X, y, 0.01, 1, lambda r: r[0], 0.3)

    def check_inputs_unchanged(self, outcome, X, y) -> None:
        self.fit.value_of(outcome)
        checks.unchanged(X, outcome.args[0], name="X", call=self.fit.fn, contract=self.fit.contract)
        checks.unchanged(y, outcome.args[1], name="y", call=self.fit.fn, contract=self.fit.contract)

    # ------------------------------------------------------------ the seed's numbers

    @pytest.mark.points(1)
    def test_seed_first_loss(self, learner):
        """seed: losses[0] = 30.0"""
        self.fit.check_seed_first_loss(learner, self.first_loss_known)

    @pytest.mark.points(1)
    def test_seed_one_epoch(self, learner):
        """seed: one epoch at lr 0.01 takes w from 0 to 0.3"""
        self.fit.check_seed_one_epoch(learner, self.one_epoch_known, extra=self.one_epoch_extra)

    @pytest.mark.points(1)
    def test_seed_converges(self, learner):
        """seed: w → 2 and the loss → 0"""
        self.fit.check_seed_converges(learner, epochs=100)

    @pytest.mark.points(1)
    def test_seed_trajectory(self, learner):
        """seed: every loss and the final w over 30 epochs"""
        self.fit.check_seed_trajectory(learner, epochs=TRAJECTORY, ref=self.seed_trajectory)

    # ------------------------------------------------------------ other data

    @pytest.mark.points(1)
    @pytest.mark.parametrize("case", OTHER_CASES)
    def test_other_data(self, learner, case):
        """every loss and the final w on other data"""
        X, y, lr, ref = self.other[case]
        self.fit.check_run(learner.call(self.fit.fn, X, y, lr, OTHER_EPOCHS), X, y, lr, OTHER_EPOCHS,
                           torch.float32, ref=ref)

    @pytest.mark.points(1)
    def test_works_in_float64(self, learner):
        """float64 data: w is float64 too, to full precision"""
        self.fit.check_works_in_float64(learner, self.numpy, self.dtype_fix)

    # ------------------------------------------------------------ types and inputs

    @pytest.mark.points(1)
    def test_w_is_a_python_float(self, learner):
        """returns a tuple whose w is a Python float"""
        self.fit.check_w_is_python_float(learner, fix=self.w_fix)

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_losses_are_python_floats(self, learner):
        """losses is a list of Python floats, one per epoch"""
        self.fit.check_losses_are_python_floats(learner, tensor_fix=self.tensor_fix)

    @pytest.mark.points(1)
    @pytest.mark.rule
    def test_inputs_unchanged(self, learner):
        """leaves X and y as they were"""
        X, y, lr, _ = self.other["float32-random"]
        self.check_inputs_unchanged(learner.call(self.fit.fn, X, y, lr, 5), X, y)
