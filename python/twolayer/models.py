"""Networks as NumPy arrays, and the CLI's model files (JSON, .npz, .onnx) read and written by the library."""

import os

import numpy as np

from . import _java
from ._errors import call
from ._java import J


class Model:
    """The network y = A·relu(W x + bias) of a model file, with where it came from and its diagnostics.

    ``W`` is k×d, ``A`` is l×k (None for a representation, which has no output layer), ``bias`` has
    length k or is None. ``provenance`` and ``diagnostics`` are the model file's dicts.
    """

    def __init__(self, W, A=None, bias=None, provenance=None, diagnostics=None):
        self.W = np.array(W, dtype=np.float64, ndmin=2)
        self.A = None if A is None else np.array(A, dtype=np.float64, ndmin=2)
        self.bias = None if bias is None else np.array(bias, dtype=np.float64).reshape(-1)
        self.provenance = dict(provenance or {})
        self.diagnostics = dict(diagnostics or {})
        if self.A is not None and self.A.shape[1] != self.W.shape[0]:
            raise ValueError(f"A is {self.A.shape[0]}×{self.A.shape[1]} but W has k = {self.W.shape[0]} rows: "
                             "A must be l×k")
        if self.bias is not None and self.bias.shape[0] != self.W.shape[0]:
            raise ValueError(f"bias holds {self.bias.shape[0]} numbers but W has k = {self.W.shape[0]} rows")

    @property
    def d(self):
        return self.W.shape[1]

    @property
    def k(self):
        return self.W.shape[0]

    @property
    def l(self):
        return 0 if self.A is None else self.A.shape[0]

    def hidden(self, X):
        """relu(X Wᵀ + bias), n×k."""
        H = np.asarray(X, dtype=np.float64) @ self.W.T
        if self.bias is not None:
            H += self.bias
        return np.maximum(H, 0.0, out=H)

    def predict(self, X):
        """relu(X Wᵀ + bias) Aᵀ, n×l."""
        if self.A is None:
            raise ValueError("this network has no output layer A (a representation): adapt it first "
                             "(DownstreamClassifier)")
        return self.hidden(X) @ self.A.T

    def __repr__(self):
        return f"Model(d={self.d}, k={self.k}, l={self.l}, bias={'yes' if self.bias is not None else 'no'})"

    def __eq__(self, other):
        if not isinstance(other, Model):
            return NotImplemented
        same = lambda a, b: (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))
        return same(self.W, other.W) and same(self.A, other.A) and same(self.bias, other.bias)

    __hash__ = None

    # --- Java ---------------------------------------------------------------------------------------------

    def _to_java(self):
        return J.TwoLayerNet(self.d, self.k, self.l, _java.to_java_doubles(self.W),
                             None if self.A is None else _java.to_java_doubles(self.A),
                             None if self.bias is None else _java.to_java_doubles(self.bias))

    @classmethod
    def _from_java(cls, net, provenance=None, diagnostics=None):
        d, k, l = int(net.d()), int(net.k()), int(net.l())
        A = net.A()
        bias = net.bias()
        return cls(_java.from_java(net.W(), (k, d)), None if l == 0 or A is None else _java.from_java(A, (l, k)),
                   None if bias is None else _java.from_java(bias), provenance, diagnostics)


def as_model(obj, what="model"):
    """A ``Model`` of a Model, a fitted estimator (W_, A_, bias_), a model file's path, or a (W, A) pair."""
    if isinstance(obj, Model):
        return obj
    if isinstance(obj, (str, os.PathLike)):
        return load(obj)
    if hasattr(obj, "W_"):
        return Model(obj.W_, getattr(obj, "A_", None), getattr(obj, "bias_", None),
                     getattr(obj, "provenance_", None), getattr(obj, "diagnostics_", None))
    if isinstance(obj, tuple) and len(obj) in (2, 3):
        return Model(*obj)
    raise TypeError(f"{what} must be a twolayer.Model, a fitted twolayer estimator, a model file's path or a "
                    f"(W, A) pair, got {type(obj).__name__}")


def load(path):
    """The model in a CLI model file: .json, .npz (W, A, bias and model.json) or .onnx (ours, or a PyTorch
    export of Linear → ReLU → Linear)."""
    start_path = os.path.abspath(os.fspath(path))  # Java resolves relative paths against its start directory
    if not os.path.exists(start_path):
        raise FileNotFoundError(f"model file {start_path} does not exist; check the path")
    model_file = call(lambda: J.ModelFile.read(J.Paths.get(start_path)))
    return Model._from_java(model_file.network(), _java.map_to_python(model_file.provenance()),
                            _java.map_to_python(model_file.diagnostics()))


def save(model, path):
    """Writes ``model`` (a Model or a fitted estimator) as the CLI writes model files: JSON, or .npz / .onnx by
    the file's name; completely or not at all."""
    m = as_model(model)
    target = os.path.abspath(os.fspath(path))

    def write():
        J.ModelFile(m._to_java(), _java.map_to_java(m.provenance), _java.map_to_java(m.diagnostics)).write(
            J.Paths.get(target))

    call(write)
