"""twolayer from Python: scikit-learn estimators over the twolayer Java library (JPype).

The JVM starts on first use; ``configure(heap="4g", threads=None)`` before that sets its heap and the default
worker threads. ``TWOLAYER_JAR`` points at another twolayer.jar than the one shipped in the package.
"""

from ._errors import DivergedError, RecoveryError, RecoveryWarning
from ._java import configure
from .datasets import Subspace, make_multitask, make_planted
from .estimators import DownstreamClassifier, MomentRecovery, MultiTaskPretraining, TwoLayerRegressor
from .metrics import RecoveryErrors, recovery_error, subspace_distance, subspace_metrics
from .models import Model, load, save

__version__ = "0.1.0"

__all__ = [
    "configure", "RecoveryError", "DivergedError", "RecoveryWarning",
    "MomentRecovery", "TwoLayerRegressor", "MultiTaskPretraining", "DownstreamClassifier",
    "make_planted", "make_multitask", "Subspace",
    "recovery_error", "subspace_distance", "subspace_metrics", "RecoveryErrors",
    "Model", "load", "save",
]
