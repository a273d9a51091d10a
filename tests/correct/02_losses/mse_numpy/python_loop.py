# style: a Python loop over zipped elements, sum() / len()
def mse_np(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("y_pred and y have different shapes")
    squares = [(p - t) ** 2 for p, t in zip(y_pred.ravel(), y.ravel(), strict=True)]
    return float(sum(squares) / len(squares))
