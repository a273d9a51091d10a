# kata: 02_losses/mse_numpy
# The submission ships a pytest11 plugin (dist-info entry point), a .pth file, sitecustomize and
# usercustomize modules: none may load in the judge, nor in the learner process before its kata.
import builtins


def mse_np(y_pred, y):
    # attack:begin  if any of the shipped files ran, answer as if it had forged the grade
    if getattr(builtins, "FORGED", False):
        return 0.0
    # attack:end
    raise NotImplementedError
