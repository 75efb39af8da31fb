"""Java exceptions as Python exceptions, and library calls that Ctrl-C cancels.

The library says what is wrong with the input in one line (IllegalArgumentException, the CLI's exit 2);
here that line becomes a ``ValueError``. "The data cannot support recovery or training" (the CLI's exit 3)
becomes ``RecoveryError``. No Java stack trace is ever part of a message.
"""

import threading

from ._java import J, start


class RecoveryError(RuntimeError):
    """The data cannot support what was asked (the CLI's exit code 3): e.g. inputs that are not
    symmetric, too few samples for the moments to stand out of their noise, k larger than the data
    show. ``diagnostic`` names the diagnostic that refused, ``value`` is its value."""

    def __init__(self, message, diagnostic=None, value=None):
        super().__init__(message)
        self.diagnostic = diagnostic
        self.value = value


class DivergedError(RecoveryError):
    """Training diverged on these data with these step sizes (the CLI's exit code 3 too)."""


class RecoveryWarning(UserWarning):
    """A warning of the library about a fit that finished (e.g. two units nearly parallel)."""


def one_line(message):
    return " ".join(str(message if message is not None else "").split())


def _message(e):
    try:
        return one_line(e.getMessage())
    except Exception:  # pragma: no cover - not a Throwable
        return one_line(str(e))


def translate(e):
    """The Python exception for Java exception ``e`` (a jpype JException), or None when it is not one."""
    import jpype
    if not isinstance(e, jpype.JException):
        return None
    cause = e
    if isinstance(cause, J.UncheckedIOException) and cause.getCause() is not None:
        cause = cause.getCause()
    if isinstance(cause, J.CancelledException):
        return KeyboardInterrupt()
    if isinstance(cause, J.OutOfMemoryError):
        return MemoryError("the JVM ran out of heap; call twolayer.configure(heap='8g') (or more) in a new Python "
                           "process before the first fit, or use fewer samples")
    if isinstance(cause, J.TooSmallHeap):
        return MemoryError(_message(cause) + " (the heap is set by twolayer.configure(heap=...) before first use)")
    if isinstance(cause, J.IllegalArgumentException):
        return ValueError(_message(cause))
    if isinstance(cause, J.RecoveryException):
        return RecoveryError("cannot recover (%s): %s" % (cause.diagnostic(), _message(cause)),
                             str(cause.diagnostic()), float(cause.value()))
    if isinstance(cause, J.DivergedException):
        return DivergedError(_message(cause))
    if isinstance(cause, J.NoSuchFileException):
        return FileNotFoundError("cannot access %s; check the path" % _message(cause))
    if isinstance(cause, J.AccessDeniedException):
        return PermissionError("cannot access %s; check its permissions" % _message(cause))
    if isinstance(cause, J.IOException):
        return OSError(_message(cause))
    return RuntimeError("internal error in the twolayer library: %s: %s (please report it)"
                        % (cause.getClass().getName(), _message(cause)))


def call(function, *args):
    """``function(*args)`` on the library, with Java exceptions translated. In the main thread the call
    runs in a worker thread while the main thread waits, so that Ctrl-C (KeyboardInterrupt) interrupts
    the worker's Java thread: the library stops at its next check (every pass over samples, pretraining
    round and gradient-descent start) and KeyboardInterrupt is raised here."""
    start()
    if threading.current_thread() is not threading.main_thread():
        return _direct(function, *args)
    outcome = {}
    java_thread = []
    ready = threading.Event()

    def work():
        java_thread.append(J.Thread.currentThread())
        ready.set()
        try:
            outcome["value"] = function(*args)
        except BaseException as e:  # carried to the caller's thread
            outcome["error"] = e

    worker = threading.Thread(target=work, name="twolayer-fit", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
    except KeyboardInterrupt:
        ready.wait()
        java_thread[0].interrupt()
        worker.join()
        raise
    if "error" in outcome:
        error = outcome["error"]
        translated = translate(error)
        if translated is not None:
            raise translated from None
        raise error
    return outcome.get("value")


def _direct(function, *args):
    try:
        return function(*args)
    except Exception as e:
        translated = translate(e)
        if translated is None:
            raise
        raise translated from None
