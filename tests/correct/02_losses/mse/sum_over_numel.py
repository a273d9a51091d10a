# style: the difference times itself, then sum() / numel(); tuple shapes compared
def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError(f"shapes differ: {tuple(y_pred.shape)} and {tuple(y.shape)}")
    diff = y_pred - y
    return (diff * diff).sum() / diff.numel()
