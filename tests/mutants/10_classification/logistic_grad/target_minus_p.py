# mutant: y − p where p − y belongs: the gradient points uphill
# expect: the sign is flipped
import torch


def logistic_grad(X, y, w, b):
    with torch.no_grad():
        r = y - torch.sigmoid(X @ w + b)
        return X.T @ r / X.shape[0], r.mean()
