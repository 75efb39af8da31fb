package io.github.twolayer.linalg;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * {@link Blas} on OpenBLAS, loaded through the JavaCPP presets ({@code org.bytedeco:openblas}, whose
 * platform jar ships the shared libraries; no system package is needed). OpenBLAS's own threads are
 * switched off: every call runs on the calling thread, inside the slots and tiles of our own parallel
 * loops, so the summation order depends on the shapes only and results are the same bits for any
 * thread count on a given machine (OpenBLAS picks its kernels by processor, so two machines may differ
 * in the last bits).
 *
 * <p>Java arrays cannot be handed to the library in place (a JNI array pin copies or stalls the
 * collector), so each call copies the spans of A, B (and C when it is read) into per-thread off-heap
 * buffers and C back: O(mk + kn + mn) memory traffic for O(mnk) arithmetic. Products too small to repay
 * that (below {@link #MIN_WORK} multiply-adds) run on the Java kernels, a choice that depends on the
 * shapes only. Samples in a buffer over a mapped file are copied off-heap from the mapping directly
 * ({@link #gemm(boolean, boolean, int, int, int, double, double[], int, int, java.nio.DoubleBuffer, int,
 * double, double[], int, int)}, {@link #secondMomentSums}): one copy, none through the heap.
 */
public final class NativeBlas implements Blas {
  /** Below this many multiply-adds a product stays in Java: a JNI call and three copies cost ~1 µs. */
  static final long MIN_WORK = 32 * 32 * 32;

  private static final class Holder {
    static final NativeBlas INSTANCE;
    static final String FAILURE;

    static {
      NativeBlas blas = null;
      String failure = null;
      try {
        Loader.load(openblas_nolapack.class);
        openblas_nolapack.blas_set_num_threads(1);
        blas = new NativeBlas("openblas " + openblasVersion() + " (native, " + Loader.getPlatform() + ")");
      } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, a missing platform jar...
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      INSTANCE = blas;
      FAILURE = failure;
    }
  }

  private static String openblasVersion() {
    return openblas_nolapack.OPENBLAS_VERSION.trim().replace("OpenBLAS ", "");
  }

  /** True when the native library loaded on this machine. */
  public static boolean available() {
    return Holder.INSTANCE != null;
  }

  /** Why the native library did not load, or null. */
  public static String loadFailure() {
    return Holder.FAILURE;
  }

  /** The native implementation; throws when it is not {@link #available()}. */
  public static NativeBlas instance() {
    if (Holder.INSTANCE == null) {
      throw new IllegalStateException("native BLAS unavailable: " + Holder.FAILURE);
    }
    return Holder.INSTANCE;
  }

  private final String name;

  /** Per-thread off-heap buffers for the operands, grown on demand. */
  private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

  private NativeBlas(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isNative() {
    return true;
  }

  /**
   * Off-heap operand buffers of one thread. Copies go through direct-buffer views ({@code
   * DoubleBuffer.put(index, array, offset, length)}: a plain memory copy); JavaCPP's own
   * {@code Pointer.put(array, ...)} pins the whole Java array through JNI, which for a sub-block of a
   * large array costs a copy of the entire array per call.
   */
  private static final class Buffers {
    /** A, B and C of a float64 product; in {@link #secondMomentSums} X, Y and XᵀX. */
    final DoubleSlot a = new DoubleSlot();
    final DoubleSlot b = new DoubleSlot();
    final DoubleSlot c = new DoubleSlot();
    /** The other sums of pass 1: YᵀX, YᵀY (whose diagonal is Σy²), Σy, and a vector of ones for Yᵀ1. */
    final DoubleSlot yx = new DoubleSlot();
    final DoubleSlot yy = new DoubleSlot();
    final DoubleSlot sumY = new DoubleSlot();
    final DoubleSlot ones = new DoubleSlot();
    int onesFilled; // how many leading entries of ones hold 1.0
    /** A, B and C of a float32 product. */
    final FloatSlot fa = new FloatSlot();
    final FloatSlot fb = new FloatSlot();
    final FloatSlot fc = new FloatSlot();
  }

  private static final class DoubleSlot {
    DoublePointer pointer = new DoublePointer(0L);
    DoubleBuffer view = null;

    DoublePointer fill(double[] from, int off, int length, boolean copy) {
      if (pointer.capacity() < length || view == null) {
        pointer.close();
        pointer = new DoublePointer(Math.max(length, pointer.capacity() * 3 / 2));
        view = pointer.position(0).limit(pointer.capacity()).asBuffer();
      }
      if (copy) {
        view.put(0, from, off, length);
      }
      return pointer.position(0);
    }

    /**
     * As {@link #fill(double[], int, int, boolean)} from a buffer's first {@code length} values (a plain
     * memory copy for a mapped file in native order).
     */
    DoublePointer fill(DoubleBuffer from, int length) {
      fill((double[]) null, 0, length, false);
      view.put(0, from, 0, length);
      return pointer.position(0);
    }

    void drain(double[] to, int off, int length) {
      view.get(0, to, off, length);
    }

    /**
     * Folds the largest magnitude of each column of the rows×cols row-major block held here into
     * {@code max}: one strided {@code idamax} per column and run of {@link #MAX_RUN} rows (a run's
     * columns stay in the first cache levels while they are scanned), then the value itself read back.
     */
    void foldColumnMaxAbs(int rows, int cols, double[] max) {
      for (int r0 = 0; r0 < rows; r0 += MAX_RUN) {
        int run = Math.min(MAX_RUN, rows - r0);
        for (int c = 0; c < cols; c++) {
          long at = (long) r0 * cols + c;
          long i = openblas_nolapack.cblas_idamax(run, pointer.position(at), cols);
          double v = Math.abs(view.get((int) (at + i * cols)));
          if (v > max[c]) { // a NaN is never larger: as Elementwise.foldColumnMaxAbs
            max[c] = v;
          }
        }
      }
      pointer.position(0);
    }
  }

  /**
   * Rows per strided maximum search: 512 rows of 50 columns (200 kB) scanned column by column ran at the
   * speed of whole 4096-row blocks, 128 rows 1.5× and 32 rows 3.4× slower (per-call overhead), measured
   * on the 2-core Xeon of docs/performance.md.
   */
  static final int MAX_RUN = 512;

  private static final class FloatSlot {
    FloatPointer pointer = new FloatPointer(0L);
    FloatBuffer view = null;

    FloatPointer fill(float[] from, int off, int length, boolean copy) {
      if (pointer.capacity() < length || view == null) {
        pointer.close();
        pointer = new FloatPointer(Math.max(length, pointer.capacity() * 3 / 2));
        view = pointer.position(0).limit(pointer.capacity()).asBuffer();
      }
      if (copy) {
        view.put(0, from, off, length);
      }
      return pointer.position(0);
    }

    void drain(float[] to, int off, int length) {
      view.get(0, to, off, length);
    }
  }


  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    if ((long) m * n * k < MIN_WORK) {
      JavaBlas.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    Buffers buf = buffers.get();
    DoublePointer pb = buf.b.fill(b, bOff, transB ? Blas.span(n, k, ldb) : Blas.span(k, n, ldb), true);
    dgemm(buf, transA, transB, m, n, k, alpha, a, aOff, lda, pb, ldb, beta, c, cOff, ldc);
  }

  /** B copied off-heap straight from its buffer (a mapped file's rows: one copy, none through the heap). */
  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      DoubleBuffer b, int ldb, double beta, double[] c, int cOff, int ldc) {
    if ((long) m * n * k < MIN_WORK || b.hasArray()) {
      Blas.super.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, ldb, beta, c, cOff, ldc);
      return;
    }
    Buffers buf = buffers.get();
    DoublePointer pb = buf.b.fill(b, transB ? Blas.span(n, k, ldb) : Blas.span(k, n, ldb));
    dgemm(buf, transA, transB, m, n, k, alpha, a, aOff, lda, pb, ldb, beta, c, cOff, ldc);
  }

  /** The float64 product with B already off-heap in {@code pb}: A and C copied in, C copied back. */
  private static void dgemm(Buffers buf, boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, DoublePointer pb, int ldb, double beta, double[] c, int cOff, int ldc) {
    int cSpan = Blas.span(m, n, ldc);
    DoublePointer pa = buf.a.fill(a, aOff, transA ? Blas.span(k, m, lda) : Blas.span(m, k, lda), true);
    DoublePointer pc = buf.c.fill(c, cOff, cSpan, beta != 0 || ldc != n); // also keeps the gaps between C's rows
    openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
        transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    buf.c.drain(c, cOff, cSpan);
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if ((long) m * n * k < MIN_WORK) {
      JavaBlas.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    Buffers buf = buffers.get();
    int aSpan = transA ? Blas.span(k, m, lda) : Blas.span(m, k, lda);
    int bSpan = transB ? Blas.span(n, k, ldb) : Blas.span(k, n, ldb);
    int cSpan = Blas.span(m, n, ldc);
    FloatPointer pa = buf.fa.fill(a, aOff, aSpan, true);
    FloatPointer pb = buf.fb.fill(b, bOff, bSpan, true);
    FloatPointer pc = buf.fc.fill(c, cOff, cSpan, beta != 0 || ldc != n);
    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
        transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
        m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    buf.fc.drain(c, cOff, cSpan);
  }

  /**
   * One copy of each operand for every sum: X and Y off-heap once for XᵀX and YᵀX (where the separate
   * calls copied X twice); Σy as Yᵀ1 and Σy² as the diagonal of YᵀY from the copy of Y; the column
   * maxima searched natively in the copies (a strided {@code idamax}, 1.5–2.5× faster than the Java loop
   * on the launcher's client compiler). Blocks whose products are small enough for the Java kernels go
   * the default way, as the separate calls would.
   */
  @Override
  public void secondMomentSums(int rows, DoubleBuffer x, int d, DoubleBuffer y, int l, double[] xx,
      double[] yx, double[] sumY, double[] sumY2, double[] maxX, double[] maxY) {
    if ((long) d * d * rows < 2 * MIN_WORK || (long) l * d * rows < MIN_WORK) {
      Blas.super.secondMomentSums(rows, x, d, y, l, xx, yx, sumY, sumY2, maxX, maxY);
      return;
    }
    Buffers buf = this.buffers.get();
    DoublePointer px = buf.a.fill(x, rows * d);
    DoublePointer py = buf.b.fill(y, rows * l);
    DoublePointer pxx = buf.c.fill(xx, 0, d * d, true);
    DoublePointer pyx = buf.yx.fill(yx, 0, l * d, true);
    if (buf.onesFilled < rows) {
      buf.ones.fill(null, 0, rows, false);
      for (int i = 0; i < rows; i++) {
        buf.ones.view.put(i, 1.0);
      }
      buf.onesFilled = rows;
    }
    DoublePointer pyy = buf.yy.fill(null, 0, l * l, false);
    DoublePointer psum = buf.sumY.fill(sumY, 0, l, true);
    openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper,
        openblas_nolapack.CblasTrans, d, rows, 1.0, px, d, 1.0, pxx, d);
    openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans,
        openblas_nolapack.CblasNoTrans, l, d, rows, 1.0, py, l, px, d, 1.0, pyx, d);
    openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper,
        openblas_nolapack.CblasTrans, l, rows, 1.0, py, l, 0.0, pyy, l);
    openblas_nolapack.cblas_dgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, rows, l, 1.0, py, l,
        buf.ones.pointer.position(0), 1, 1.0, psum, 1);
    buf.c.drain(xx, 0, d * d);
    buf.yx.drain(yx, 0, l * d);
    buf.sumY.drain(sumY, 0, l);
    for (int a = 0; a < l; a++) {
      sumY2[a] += buf.yy.view.get(a * l + a);
    }
    buf.a.foldColumnMaxAbs(rows, d, maxX);
    buf.b.foldColumnMaxAbs(rows, l, maxY);
  }

  @Override
  public void syrkUpper(int n, int k, double alpha, double[] a, int aOff, int lda, double beta, double[] c, int cOff,
      int ldc) {
    if ((long) n * n * k < 2 * MIN_WORK) {
      JavaBlas.INSTANCE.syrkUpper(n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
      return;
    }
    Buffers buf = buffers.get();
    int aSpan = Blas.span(k, n, lda);
    int cSpan = Blas.span(n, n, ldc);
    DoublePointer pa = buf.a.fill(a, aOff, aSpan, true);
    DoublePointer pc = buf.c.fill(c, cOff, cSpan, true);
    openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper,
        openblas_nolapack.CblasTrans, n, k, alpha, pa, lda, beta, pc, ldc);
    buf.c.drain(c, cOff, cSpan);
  }
}
