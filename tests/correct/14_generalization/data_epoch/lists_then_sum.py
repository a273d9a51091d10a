# style: records (loss, size) per batch and weights at the end; clears .grad by hand; tuples of rows
from torch.utils.data import Dataset


class TensorPairs(Dataset):
    def __init__(self, X, y):
        self.tensors = (X, y)
        if X.size(0) != y.size(0):
            raise ValueError(f"{X.size(0)} rows in X but {y.size(0)} in y")

    def __len__(self):
        return int(self.tensors[0].size(0))

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)


def train_epoch(model, loader, optimizer, loss_fn, device):
    model.train()
    records = []
    for xb, yb in loader:
        xb = xb.to(device)
        yb = yb.to(device)
        for p in model.parameters():
            p.grad = None
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        records.append((loss.item(), xb.shape[0]))
    if len(records) == 0:
        raise ValueError("the loader is empty")
    return sum(v * n for v, n in records) / sum(n for _, n in records)
