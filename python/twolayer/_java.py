"""The JVM this package runs the library in, and every Java class it uses, by name.

All Java class names live in ``CLASS_NAMES`` below and nowhere else in the package, so that a class
moved between Java packages is renamed in one place.

The JVM starts once per Python process, on first use: ``configure`` before that sets its heap and the
default number of worker threads; after it, ``configure`` refuses (a JVM cannot be restarted in the same
process).
"""

import os
import re
import threading

import numpy as np

CLASS_NAMES = {
    # moments: the method of moments (recover)
    "MomentRecovery": "io.github.twolayer.moments.MomentRecovery",
    "RecoveryOptions": "io.github.twolayer.moments.RecoveryOptions",
    "RecoveryException": "io.github.twolayer.moments.RecoveryException",
    # data and models
    "Dataset": "io.github.twolayer.data.Dataset",
    "BufferSource": "io.github.twolayer.data.BufferSource",
    "MultiTaskDataset": "io.github.twolayer.data.MultiTaskDataset",
    "ModelFile": "io.github.twolayer.data.ModelFile",
    "TooSmallHeap": "io.github.twolayer.data.Heap$TooSmallException",
    "TwoLayerNet": "io.github.twolayer.model.TwoLayerNet",
    "BlasChoice": "io.github.twolayer.linalg.Blas$Choice",
    # train: the gradient-descent baseline and spectral + fine-tune
    "GradientDescent": "io.github.twolayer.train.GradientDescent",
    "TrainingOptions": "io.github.twolayer.train.GradientDescent$TrainingOptions",
    "Optimizer": "io.github.twolayer.train.GradientDescent$Optimizer",
    "SpectralFineTune": "io.github.twolayer.train.SpectralFineTune",
    # multitask: pretraining and adapting
    "MultiTaskPretraining": "io.github.twolayer.multitask.MultiTaskPretraining",
    "PretrainingOptions": "io.github.twolayer.multitask.PretrainingOptions",
    "PretrainingMode": "io.github.twolayer.multitask.PretrainingOptions$Mode",
    "PretrainingHeads": "io.github.twolayer.multitask.PretrainingOptions$Heads",
    "PretrainingPrecision": "io.github.twolayer.multitask.PretrainingOptions$Precision",
    "PretrainingSampling": "io.github.twolayer.multitask.PretrainingOptions$Sampling",
    "TasksSource": "io.github.twolayer.multitask.PretrainingSource$Tasks",
    "Loss": "io.github.twolayer.multitask.Loss",
    "BaselineKind": "io.github.twolayer.multitask.Baselines$Kind",
    "Downstream": "io.github.twolayer.multitask.Downstream",
    "AdaptationOptions": "io.github.twolayer.multitask.Downstream$AdaptationOptions",
    "MultiTaskSamples": "io.github.twolayer.multitask.MultiTaskSamples",
    "SubspaceTruth": "io.github.twolayer.multitask.SubspaceTruth",
    # sampling: planted networks, input laws, task families, seeds
    "PlantedNetworks": "io.github.twolayer.sampling.PlantedNetworks",
    "PlantedShape": "io.github.twolayer.sampling.PlantedNetworks$Shape",
    "Distributions": "io.github.twolayer.sampling.Distributions",
    "DistributionParameters": "io.github.twolayer.sampling.Distributions$Parameters",
    "TaskFamily": "io.github.twolayer.sampling.TaskFamily",
    "TaskFamilyKind": "io.github.twolayer.sampling.TaskFamily$Kind",
    "Seeds": "io.github.twolayer.random.Seeds",
    # metrics
    "RecoveryErrorMetric": "io.github.twolayer.metrics.RecoveryError",
    "SubspaceMetrics": "io.github.twolayer.metrics.SubspaceMetrics",
    # progress
    "Progress": "io.github.twolayer.progress.Progress",
    "CancelledException": "io.github.twolayer.progress.CancelledException",
    "DivergedException": "io.github.twolayer.progress.DivergedException",
    # the program's version, as the CLI records it in provenance
    "Main": "io.github.twolayer.cli.Main",
    # JSON for provenance and diagnostics (Jackson ships in the jar)
    "ObjectMapper": "com.fasterxml.jackson.databind.ObjectMapper",
    "JsonFactory": "com.fasterxml.jackson.core.JsonFactory",
    "JsonWriteFeature": "com.fasterxml.jackson.core.json.JsonWriteFeature",
    "JsonReadFeature": "com.fasterxml.jackson.core.json.JsonReadFeature",
    # the JDK
    "LinkedHashMap": "java.util.LinkedHashMap",
    "ArrayList": "java.util.ArrayList",
    "Double": "java.lang.Double",
    "Paths": "java.nio.file.Paths",
    "ByteOrder": "java.nio.ByteOrder",
    "Thread": "java.lang.Thread",
    "Runtime": "java.lang.Runtime",
    "IllegalArgumentException": "java.lang.IllegalArgumentException",
    "UncheckedIOException": "java.io.UncheckedIOException",
    "NoSuchFileException": "java.nio.file.NoSuchFileException",
    "AccessDeniedException": "java.nio.file.AccessDeniedException",
    "IOException": "java.io.IOException",
    "OutOfMemoryError": "java.lang.OutOfMemoryError",
}

# JPype 1.4 needs its own support classes on the class path when the class path is given explicitly.
JPYPE_SUPPORT_JAR = "/usr/share/java/org.jpype.jar"

_lock = threading.Lock()
_settings = {"heap": "4g", "threads": None}
_started = False


def configure(heap="4g", threads=None):
    """Sets the JVM's maximum heap (a -Xmx size such as "4g" or "512m") and the default number of worker
    threads of every fit whose ``threads`` is None (None: all cores). Only before the first use of the
    library in this process; after it, the JVM runs with the settings it started with."""
    global _settings
    if not isinstance(heap, str) or not re.fullmatch(r"[1-9][0-9]*[kKmMgGtT]?", heap):
        raise ValueError(f"heap={heap!r} is not a heap size: give a number with a unit, e.g. '4g' or '512m'")
    if threads is not None and (not isinstance(threads, (int, np.integer)) or threads <= 0):
        raise ValueError(f"threads={threads!r} must be a positive number of threads, or None for all cores")
    with _lock:
        if _started:
            raise RuntimeError(
                "the JVM has already started in this process (with heap %s); call twolayer.configure(...) before "
                "the first fit, load or make_* call, or start a new Python process" % _settings["heap"])
        _settings = {"heap": heap, "threads": None if threads is None else int(threads)}


def default_threads():
    """The threads a fit with threads=None uses: configure's, else all cores."""
    return _settings["threads"]


def jar_path():
    """The twolayer jar: $TWOLAYER_JAR when set, else the one shipped in this package."""
    override = os.environ.get("TWOLAYER_JAR")
    if override:
        if not os.path.isfile(override):
            raise FileNotFoundError(f"TWOLAYER_JAR={override} is not a file: point it at twolayer.jar "
                                    "(twolayer-cli/target/twolayer.jar after mvn package), or unset it")
        return override
    shipped = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib", "twolayer.jar")
    if not os.path.isfile(shipped):
        raise FileNotFoundError(
            f"this installation of twolayer has no jar ({shipped} is missing): install the package from a tree "
            "where Maven has built it (mvn -pl twolayer-python verify copies it in), or set TWOLAYER_JAR to "
            "twolayer-cli/target/twolayer.jar")
    return shipped


def start():
    """Starts the JVM if it is not running (once per process)."""
    global _started
    if _started:
        return
    with _lock:
        if _started:
            return
        import jpype
        if jpype.isJVMStarted():  # started by someone else in this process: add our jar to it
            jpype.addClassPath(jar_path())
        else:
            classpath = [jar_path()]
            if os.path.isfile(JPYPE_SUPPORT_JAR):
                classpath.append(JPYPE_SUPPORT_JAR)
            # interrupt=False: Ctrl-C reaches Python (which cancels a running fit) instead of ending the process.
            jpype.startJVM("-Xmx" + _settings["heap"], "-Djava.awt.headless=true", classpath=classpath,
                           convertStrings=False, interrupt=False)
        _started = True


class _Classes:
    """``J.Name``: the Java class of ``CLASS_NAMES["Name"]``, starting the JVM on first use."""

    def __init__(self):
        self._cache = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        cls = self._cache.get(name)
        if cls is None:
            if name not in CLASS_NAMES:
                raise AttributeError(f"no Java class named {name} in twolayer._java.CLASS_NAMES")
            start()
            import jpype
            cls = jpype.JClass(CLASS_NAMES[name])
            self._cache[name] = cls
        return cls


J = _Classes()


# --- arrays: one bulk copy each way --------------------------------------------------------------------------

def to_java_doubles(a):
    """A Java double[] holding ``a`` in row-major (C) order: one bulk copy of the NumPy buffer, whatever the
    dtype (float32 is widened once, in NumPy) or memory order (F order is copied once to C order)."""
    start()
    import jpype
    flat = np.ascontiguousarray(a, dtype=np.float64).reshape(-1)
    return jpype.JArray(jpype.JDouble)(flat)


# A direct buffer's capacity is an int number of bytes.
_MAX_BUFFER_BYTES = 2 ** 31 - 1


def direct_doubles(a):
    """A java.nio.DoubleBuffer over the memory of C-contiguous, writable float64 array ``a`` (no copy), or None
    when ``a`` is not such an array or is too large for one buffer. The caller keeps ``a`` alive and unchanged
    while Java reads it."""
    if (not isinstance(a, np.ndarray) or a.dtype != np.float64 or not a.flags.c_contiguous
            or not a.flags.writeable or a.nbytes == 0 or a.nbytes > _MAX_BUFFER_BYTES):
        return None
    start()
    import jpype.nio
    return jpype.nio.convertToDirectBuffer(a).order(J.ByteOrder.nativeOrder()).asDoubleBuffer()


def to_java_ints(a):
    start()
    import jpype
    flat = np.ascontiguousarray(a, dtype=np.int32).reshape(-1)
    return jpype.JArray(jpype.JInt)(flat)


def from_java(array, shape=None):
    """A NumPy float64 copy of a Java double[] (bulk, through the buffer protocol)."""
    if array is None:
        return None
    out = np.array(array, dtype=np.float64)
    return out if shape is None else out.reshape(shape)


# --- maps: provenance and diagnostics travel as JSON ------------------------------------------------------------

_mappers = []


def _mapper():
    if not _mappers:
        # Non-finite diagnostics travel as NaN / Infinity tokens (Python's json reads and writes them).
        factory = (J.JsonFactory.builder().disable(J.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                   .enable(J.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build())
        _mappers.append(J.ObjectMapper(factory))
    return _mappers[0]


def map_to_python(java_map):
    import json
    if java_map is None:
        return {}
    return json.loads(str(_mapper().writeValueAsString(java_map)))


def map_to_java(mapping):
    import json
    text = json.dumps(_plain(mapping or {}), allow_nan=True)
    return _mapper().readValue(text, J.LinkedHashMap)


def _plain(value):
    """``value`` with NumPy scalars and arrays as Python numbers and lists, for json."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def version():
    return str(J.Main.VERSION)
