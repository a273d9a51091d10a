# mutant: sums over the samples where the mean belongs (the 1/N is missing)
# expect: off by a factor of n
import torch


def logistic_grad(X, y, w, b):
    with torch.no_grad():
        r = torch.sigmoid(X @ w + b) - y
        return X.T @ r, r.sum()
