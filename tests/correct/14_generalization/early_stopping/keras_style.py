# style: Keras' EarlyStopping bookkeeping (wait counter, best = None); keeps a deep copy of the whole model
import copy


def fit_early_stopping(model, train_epoch, val_loss, max_epochs, patience):
    if not (max_epochs >= 1 and patience >= 1):
        raise ValueError("max_epochs and patience must be positive")
    best, best_model, best_epoch, wait = None, None, 0, 0
    history = []
    epoch = 0
    while epoch < max_epochs:
        train_epoch()
        current = float(val_loss())
        history.append(current)
        if best is None or current < best:
            best, best_epoch, wait = current, epoch, 0
            best_model = copy.deepcopy(model)
        else:
            wait += 1
            if wait >= patience:
                break
        epoch += 1
    state = best_model.state_dict()
    model.load_state_dict(state)
    return state, best_epoch, history
