"""The library's metrics: matched recovery errors of a network, distance of a layer to a subspace."""

from collections import namedtuple

import numpy as np

from . import _java
from ._errors import call
from ._java import J
from .models import as_model

RecoveryErrors = namedtuple("RecoveryErrors", ["w_error", "a_error", "permutation"])
RecoveryErrors.__doc__ = ("Matched relative errors ‖W − Ŵπ‖_F/‖W‖_F and ‖A − Âπ‖_F/‖A‖_F (rows normalized, units "
                          "matched by the Hungarian algorithm); permutation[i] is the unit matched to true unit i.")

SubspaceMetrics = namedtuple("SubspaceMetrics", ["energy_out", "subspace_dist", "coverage", "principal_angles"])


def recovery_error(truth, estimate):
    """The matched errors of ``estimate`` against ``truth`` (Models, fitted estimators, model files or (W, A))."""
    t = as_model(truth, "truth")
    e = as_model(estimate, "estimate")
    r = call(lambda: J.RecoveryErrorMetric.of(t._to_java(), e._to_java()))
    return RecoveryErrors(float(r.wError()), float(r.aError()), np.array(r.permutation(), dtype=np.int64))


def subspace_metrics(layer, subspace):
    """energy_out, subspace_dist, coverage and the principal angles of a first layer W (m×d; a Model, a fitted
    estimator or an array) against a subspace (a Subspace or a d×r basis with orthonormal columns)."""
    W = np.asarray(layer, dtype=np.float64) if isinstance(layer, np.ndarray) else as_model(layer, "layer").W
    basis = getattr(subspace, "basis", subspace)
    basis = np.array(basis, dtype=np.float64, ndmin=2)
    m, d = W.shape
    r = basis.shape[1]
    s = call(lambda: J.SubspaceMetrics.of(_java.to_java_doubles(W), m, d, _java.to_java_doubles(basis), r))
    return SubspaceMetrics(float(s.energyOut()), float(s.subspaceDist()), float(s.coverage()),
                           _java.from_java(s.principalAngles()))


def subspace_distance(layer, subspace):
    """sin of the largest principal angle between the layer's top-r right singular subspace and span(M)."""
    return subspace_metrics(layer, subspace).subspace_dist
