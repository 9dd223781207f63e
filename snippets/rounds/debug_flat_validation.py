"""Debugging exercise 2: training improves, validation sits at chance.

The evaluation loop visits the validation set in a shuffled order, as a
shuffling loader would, then compares the predictions with the labels in
the original order. Every prediction is scored against another example's
label, so the accuracy is that of a random guess whatever the model knows.
"""

import torch
import torch.nn.functional as F
from torch import nn


def make_split(n_train=512, n_val=2000, d=8, n_classes=4, device=None):
    """Train and validation sets from the same Gaussian blobs.

    Labels are exactly balanced, so chance accuracy is exactly 1/K.
    Returns (x_train (n_train, d), y_train), (x_val (n_val, d), y_val).
    """
    g = torch.Generator().manual_seed(1)
    centres = torch.randn(n_classes, d, generator=g)

    def sample(n):
        y = (torch.arange(n) % n_classes)[torch.randperm(n, generator=g)]
        x = centres[y] + torch.randn(n, d, generator=g)
        return x.to(device), y.to(device)

    return sample(n_train), sample(n_val)


# --8<-- [start:buggy]
@torch.no_grad()
def buggy_accuracy(model, x, y, batch_size=256):
    """Fraction of argmax predictions equal to y. x: (N, d); y: (N,)."""
    model.eval()
    order = torch.randperm(len(x), device=x.device)
    preds = [model(x[idx]).argmax(-1) for idx in order.split(batch_size)]
    model.train()
    return (torch.cat(preds) == y).float().mean().item()


# --8<-- [end:buggy]


# --8<-- [start:fixed]
@torch.no_grad()
def fixed_accuracy(model, x, y, batch_size=256):
    """Fraction of argmax predictions equal to y. x: (N, d); y: (N,)."""
    model.eval()
    order = torch.randperm(len(x), device=x.device)
    correct = 0
    for idx in order.split(batch_size):
        correct += (model(x[idx]).argmax(-1) == y[idx]).sum().item()
    model.train()
    return correct / len(x)


# --8<-- [end:fixed]


# --8<-- [start:fit]
def fit(accuracy, epochs=5, batch_size=32, lr=3e-3, device=None):
    """Adam on a small MLP; validation accuracy before and after each epoch.

    Returns the model, the mean training loss of each epoch, and the
    validation accuracies (epochs + 1 values, the first before training).
    """
    (x, y), (x_val, y_val) = make_split(device=device)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    train_loss, val_acc = [], [accuracy(model, x_val, y_val)]
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(x), device=x.device).split(batch_size):
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        train_loss.append(total / len(x))
        val_acc.append(accuracy(model, x_val, y_val))
    return model, train_loss, val_acc


# --8<-- [end:fit]
