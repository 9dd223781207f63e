"""Gaussian naive Bayes: per-class diagonal Gaussians and Bayes' rule."""

import math

import torch


# --8<-- [start:naive_bayes]
def fit_gaussian_nb(X, y, n_classes, eps=1e-9):
    """Per-class priors, means and variances.

    X: (N, D), y: (N,) class ids. Returns log_prior (C,), mean (C, D)
    and var (C, D): the maximum-likelihood (divide by n_c) variance
    plus eps, so a constant feature does not give a zero variance.
    """
    onehot = torch.nn.functional.one_hot(y, n_classes).to(X.dtype)  # (N, C)
    n = onehot.sum(0)  # (C,)
    mean = onehot.T @ X / n[:, None]  # (C, D)
    # Centre before squaring: E[x²] − E[x]² cancels catastrophically.
    var = onehot.T @ (X - mean[y]).square() / n[:, None]  # (C, D)
    log_prior = (n / n.sum()).log()
    return log_prior, mean, var + eps


def log_posterior(X, log_prior, mean, var):
    """log p(c | x) for X: (Q, D) -> (Q, C).

    Naive Bayes assumes the features independent given the class, so
    log p(x | c) is a sum over features of 1-D Gaussian log-densities.
    """
    diff = X[:, None, :] - mean[None, :, :]  # (Q, C, D)
    log_lik = -0.5 * (diff.square() / var + (2 * math.pi * var).log())
    joint = log_prior + log_lik.sum(-1)  # (Q, C): log p(c) + log p(x|c)
    return joint - joint.logsumexp(dim=1, keepdim=True)


# --8<-- [end:naive_bayes]
