# mutant: right numbers, but computed outside torch.no_grad(): with w requiring grad, the results
# carry an autograd graph
# expect: still carries an autograd graph
import torch


def logistic_grad(X, y, w, b):
    r = torch.sigmoid(X @ w + b) - y
    return X.T @ r / X.shape[0], r.mean()
