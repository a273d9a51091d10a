# mutant: multiplies p − y by the sigmoid's slope p(1 − p): the gradient of the squared error
# expect: p(1 − p) factor
import torch


def logistic_grad(X, y, w, b):
    with torch.no_grad():
        p = torch.sigmoid(X @ w + b)
        r = (p - y) * p * (1 - p)
        return X.T @ r / X.shape[0], r.mean()
