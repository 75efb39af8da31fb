"""The library's generators: a planted network and its samples, and multi-task data with their truth. The same
seed gives the same numbers as ``twolayer generate planted`` / ``generate multitask`` writes (for samples that
fit in memory)."""

import math

import numpy as np

from . import _java
from ._errors import call
from ._java import J
from .models import Model


def make_planted(n=10000, d=10, k=5, l=8, dist="gaussian", noise=0.0, cond=None, a_cond=2.0, cov_cond=10.0, df=5.0,
                 inputs=None, center=True, seed=1):
    """Samples of a planted network y = A·relu(W x) + noise under a symmetric input law.

    dist is one of gaussian, gaussian-cov, cube, rademacher, mixture, student-t; or give ``inputs`` (rows of
    your data, m×d): the inputs are then drawn from them with replacement, each with a random sign (the
    symmetrized empirical law; the rows are centered first unless center=False). noise is the output noise's
    standard deviation as a multiple of that of the noiseless y; cond the condition number of W (None:
    standard Gaussian rows), a_cond that of A.

    Returns X (n×d), Y (n×l) and the truth (a Model).
    """
    for name, value in (("n", n), ("d", d), ("k", k), ("l", l)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{name}={value!r} must be a positive integer")
    rows = None
    if inputs is not None:
        rows = np.array(inputs, dtype=np.float64, ndmin=2)
        if rows.ndim != 2 or rows.shape[0] == 0 or not np.all(np.isfinite(rows)):
            raise ValueError("inputs must be a non-empty 2-D array of finite numbers (rows of your data)")
        if center:
            rows = rows - rows.mean(axis=0)
        d = rows.shape[1]

    def draw():
        rng = J.Seeds.root(int(seed))
        shape = J.PlantedShape(int(d), int(k), int(l), math.nan if cond is None else float(cond), float(a_cond))
        truth = J.PlantedNetworks.draw(shape, rng)
        if rows is None:
            params = (J.DistributionParameters.defaults().withCovarianceCondition(float(cov_cond))
                      .withDegreesOfFreedom(float(df)))
            law = J.Distributions.byName(str(dist), int(d), params, rng)
        else:
            law = J.Distributions.symmetrized(_java.to_java_doubles(rows), int(d))
        return truth, J.PlantedNetworks.sample(truth, law, int(n), float(noise), rng)

    truth, data = call(draw)
    provenance = {"algorithm": "planted", "dist": "symmetrized" if rows is not None else dist, "seed": int(seed),
                  "n": int(n), "noise": float(noise), "cond": cond, "a_cond": float(a_cond),
                  "twolayer": _java.version()}
    X = _java.from_java(data.X(), (n, d))
    Y = _java.from_java(data.Y(), (n, l))
    return X, Y, Model._from_java(truth, provenance)


class Subspace:
    """The truth of multi-task data: the subspace basis M (d×r, orthonormal columns) on which every task's label
    depends, the family's kind and label noise, the seed, and each task's parameters (dicts of arrays)."""

    def __init__(self, basis, family="halfspace", label_noise=0.0, seed=None, tasks=()):
        self.basis = np.array(basis, dtype=np.float64, ndmin=2)
        self.family = family
        self.label_noise = float(label_noise)
        self.seed = seed
        self.tasks = list(tasks)

    @property
    def d(self):
        return self.basis.shape[0]

    @property
    def r(self):
        return self.basis.shape[1]

    def __repr__(self):
        return f"Subspace(d={self.d}, r={self.r}, family={self.family!r}, tasks={len(self.tasks)})"

    def _family(self, family=None, label_noise=None):
        return J.TaskFamily.of(self.d, self.r, _java.to_java_doubles(self.basis),
                               J.TaskFamilyKind.of(str(family or self.family)),
                               float(self.label_noise if label_noise is None else label_noise))

    @classmethod
    def _from_java(cls, truth):
        fam = truth.family()
        tasks = []
        for t in truth.tasks():
            task = {"direction": _java.from_java(t.direction()), "offset": float(t.offset())}
            for name in ("teacherIn", "teacherBias", "teacherOut"):
                value = getattr(t, name)()
                if value is not None:
                    task[name] = _java.from_java(value)
            tasks.append(task)
        return cls(_java.from_java(fam.basis(), (int(fam.d()), int(fam.r()))), str(fam.kind().label),
                   float(fam.labelNoise()), int(truth.seed()), tasks)


def make_multitask(n_per_task=512, d=50, r=3, tasks=32, family="halfspace", label_noise=0.0, subspace=None, seed=1):
    """Samples of T binary tasks on x ~ N(0, I_d) whose labels depend only on Mᵀx (M: d×r).

    family: halfspace, biased-halfspace or relu-teacher. With ``subspace`` (a Subspace, e.g. the truth of the
    pretraining data) the tasks are new tasks on its M (downstream tasks), and d, r come from it.

    Returns X (n×d), y (n, labels ±1), task (n, ids 0..T−1, rows task by task) and the truth (a Subspace).
    """

    def draw():
        if subspace is None:
            return J.MultiTaskSamples.draw(int(d), int(r), int(tasks), int(n_per_task), J.TaskFamilyKind.of(str(family)),
                                           float(label_noise), int(seed))
        return J.MultiTaskSamples.drawOn(subspace._family(family, label_noise), int(tasks), int(n_per_task), int(seed))

    drawn = call(draw)
    data = drawn.data()
    n, dims = int(data.n()), int(data.d())
    X = _java.from_java(data.x(), (n, dims))
    y = _java.from_java(data.y())
    task = np.array(data.task(), dtype=np.int64)
    return X, y, task, Subspace._from_java(drawn.truth())
