"""scikit-learn plumbing shared by the estimators."""

import numbers

import numpy as np

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # pragma: no cover - depends on the installed scikit-learn
    _validate_data = None


def validate(estimator, X, y="no_validation", reset=True, **kwargs):
    """check_array / check_X_y that also records (reset=True) or checks n_features_in_ and feature names."""
    if _validate_data is not None:  # pragma: no cover
        return _validate_data(estimator, X, y, reset=reset, **kwargs)
    return estimator._validate_data(X, y, reset=reset, **kwargs)


def threads_of(threads):
    """The worker threads of a fit: the given number, configure's default, or None (the library's: all cores)."""
    from . import _java
    if threads is None:
        return _java.default_threads()
    if not isinstance(threads, numbers.Integral) or isinstance(threads, bool) or threads <= 0:
        raise ValueError(f"threads={threads!r} must be a positive number of threads, or None for all cores")
    return int(threads)


def k_of(k, name="k"):
    """k as the library takes it: a positive int, or 0 for "auto"."""
    if isinstance(k, str):
        if k.strip() == "auto":
            return 0
        raise ValueError(f"{name}={k!r} is not a number of hidden units: give a positive integer or 'auto'")
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k <= 0:
        raise ValueError(f"{name}={k!r} must be a positive number of hidden units, or 'auto'")
    return int(k)


def choice(value, name, allowed):
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not known: use " + ", ".join(repr(a) for a in allowed))
    return value


def relu_network(X, W, A, bias=None):
    H = X @ W.T
    if bias is not None:
        H += bias
    np.maximum(H, 0.0, out=H)
    return H @ A.T
