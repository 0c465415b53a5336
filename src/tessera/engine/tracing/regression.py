"""Regularised logistic regression with per-competency intercepts and slopes, fitted by L-BFGS."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LogisticFit:
    """Fitted coefficients on the raw (unstandardised) feature scale.

    The log-odds of a correct answer on competency ``k`` with features ``x`` is
    ``intercept + weights @ x + competency_intercepts[k] + competency_slopes[k] @ x[slope_columns]``.
    """

    intercept: float
    weights: FloatArray
    competency_intercepts: FloatArray
    competency_slopes: FloatArray
    slope_columns: tuple[int, ...]
    feature_means: FloatArray

    def log_odds(self, features: FloatArray, competency: IntArray) -> FloatArray:
        """Log-odds for many rows at once (used when fitting; the online path uses plain floats)."""
        slopes = (features[:, list(self.slope_columns)] * self.competency_slopes[competency]).sum(axis=1)
        result: FloatArray = (
            self.intercept + features @ self.weights + self.competency_intercepts[competency] + slopes
        )
        return result


def fit_logistic(
    features: FloatArray,
    competency: IntArray,
    correct: FloatArray,
    n_competencies: int,
    slope_columns: tuple[int, ...],
    intercept_shrinkage: float,
    slope_shrinkage: float,
    weight_shrinkage: float = 1.0,
    max_iterations: int = 400,
) -> LogisticFit:
    """Fit a logistic model whose per-competency terms are shrunk towards the global ones.

    Features are standardised for the optimiser; the L2 penalties on the per-competency intercepts and
    slopes pull competencies with little data towards the global model (hierarchical shrinkage); a light
    penalty on the global weights keeps collinear features (common in small logs) from drifting apart.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(400, 2))
    >>> y = (rng.random(400) < 1 / (1 + np.exp(-2 * x[:, 0]))).astype(float)
    >>> fit = fit_logistic(x, np.zeros(400, dtype=np.int64), y, 1, (), 1.0, 1.0)
    >>> bool(fit.weights[0] > 1.0)
    True
    """
    means = features.mean(axis=0)
    scales = features.std(axis=0)
    scales[scales < 1e-9] = 1.0
    standard = (features - means) / scales
    n_features = standard.shape[1]
    n_slopes = len(slope_columns)
    slope_features = standard[:, list(slope_columns)]

    def split(theta: FloatArray) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        weights = theta[1 : 1 + n_features]
        intercepts = theta[1 + n_features : 1 + n_features + n_competencies]
        slopes = theta[1 + n_features + n_competencies :].reshape(n_competencies, n_slopes)
        return float(theta[0]), weights, intercepts, slopes

    def loss_and_gradient(theta: FloatArray) -> tuple[float, FloatArray]:
        intercept, weights, intercepts, slopes = split(theta)
        log_odds = intercept + standard @ weights + intercepts[competency]
        log_odds += (slope_features * slopes[competency]).sum(axis=1)
        loss = float(np.sum(np.logaddexp(0.0, log_odds) - correct * log_odds))
        residual = 1.0 / (1.0 + np.exp(-log_odds)) - correct
        grad_intercepts = np.bincount(competency, weights=residual, minlength=n_competencies)
        grad_slopes = np.zeros((n_competencies, n_slopes))
        for j in range(n_slopes):
            grad_slopes[:, j] = np.bincount(
                competency, weights=residual * slope_features[:, j], minlength=n_competencies
            )
        loss += 0.5 * intercept_shrinkage * float(intercepts @ intercepts)
        loss += 0.5 * slope_shrinkage * float(np.sum(slopes * slopes)) + 0.5 * weight_shrinkage * float(
            weights @ weights
        )
        gradient = np.concatenate(
            [
                [residual.sum()],
                standard.T @ residual + weight_shrinkage * weights,
                grad_intercepts + intercept_shrinkage * intercepts,
                (grad_slopes + slope_shrinkage * slopes).ravel(),
            ]
        )
        return loss, gradient

    start = np.zeros(1 + n_features + n_competencies * (1 + n_slopes))
    result = minimize(
        loss_and_gradient, start, jac=True, method="L-BFGS-B", options={"maxiter": max_iterations}
    )
    intercept, weights, intercepts, slopes = split(np.asarray(result.x, dtype=np.float64))
    raw_weights = weights / scales
    raw_slopes = slopes / scales[list(slope_columns)]
    slope_offsets = (raw_slopes * means[list(slope_columns)]).sum(axis=1)
    return LogisticFit(
        intercept=intercept - float(raw_weights @ means),
        weights=raw_weights,
        competency_intercepts=intercepts - slope_offsets,
        competency_slopes=raw_slopes,
        slope_columns=slope_columns,
        feature_means=means,
    )
