# style: Python loops over zipped points, sum() / len(), augmented assignment w -= ...
def fit_numpy(X, y, lr, epochs):
    w = 0.0
    losses = []
    n = len(X)
    for _ in range(epochs):
        errors = [w * xi - yi for xi, yi in zip(X, y, strict=True)]
        losses.append(float(sum(e * e for e in errors) / n))
        grad = sum(2 * xi * e for xi, e in zip(X, errors, strict=True)) / n
        w -= lr * grad
    return float(w), losses
