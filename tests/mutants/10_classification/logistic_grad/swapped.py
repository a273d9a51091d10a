# mutant: returns (∂L/∂b, ∂L/∂w)
# expect: swapped
import torch


def logistic_grad(X, y, w, b):
    with torch.no_grad():
        r = torch.sigmoid(X @ w + b) - y
        return r.mean(), X.T @ r / X.shape[0]
