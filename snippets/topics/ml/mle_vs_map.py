"""Maximum likelihood versus maximum a posteriori, with conjugate priors."""

from snippets.topics.ml.linear_regression import normal_equations


# --8<-- [start:coin]
def coin_mle(heads, n):
    """argmax_θ θ^h (1 − θ)^(n − h) = h / n."""
    return heads / n


def coin_map(heads, n, a, b):
    """Mode of the Beta(a + h, b + n − h) posterior (needs a, b ≥ 1).

    The Beta(a, b) prior acts like a − 1 extra heads and b − 1 extra
    tails seen before the data.
    """
    return (heads + a - 1) / (n + a + b - 2)


def coin_posterior_mean(heads, n, a, b):
    """Mean of the Beta(a + h, b + n − h) posterior."""
    return (heads + a) / (n + a + b)


# --8<-- [end:coin]


# --8<-- [start:gaussian]
def gaussian_mean_map(x, noise_var, prior_mean, prior_var):
    """MAP (= posterior mean) of μ for x_i ~ N(μ, σ²), μ ~ N(μ0, τ²).

    A precision-weighted average of the sample mean and the prior mean.
    x: (N,). Returns (map, posterior variance).
    """
    n = x.numel()
    precision = n / noise_var + 1 / prior_var
    mean = (x.sum() / noise_var + prior_mean / prior_var) / precision
    return mean, 1 / precision


def linear_regression_map(X, y, noise_var, prior_var):
    """MAP weights for y ~ N(Xw, σ²I), w ~ N(0, τ²I): ridge with
    λ = σ² / τ². X: (N, D), y: (N,) -> (D,)."""
    return normal_equations(X, y, lam=noise_var / prior_var)


# --8<-- [end:gaussian]
