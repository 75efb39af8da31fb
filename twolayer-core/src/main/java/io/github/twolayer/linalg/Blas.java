package io.github.twolayer.linalg;

import java.nio.DoubleBuffer;
import java.util.Map;

/**
 * The heavy products of every algorithm, on row-major arrays with offsets and leading dimensions, in the
 * conventions of CBLAS ({@code C ← α·op(A)·op(B) + β·C}). Two implementations: {@link NativeBlas}
 * (OpenBLAS through the JavaCPP presets, natives from Maven Central) and {@link JavaBlas} (our own
 * kernels: the fallback where the natives do not load, and the reference the tests compare against).
 *
 * <p>Which one runs is a {@link Choice} ({@code native}, {@code java}, or {@code auto}, the default:
 * native where it loads): carried by the options of every algorithm (and by the sums of a pass to
 * wherever they run) and recorded in each result's provenance. The system property {@value #PROPERTY}
 * is only the library's default for options made without one ({@link Choice#byDefault}). Every native call
 * runs on the calling thread only (OpenBLAS's own threads are switched off), so the parallel split stays
 * ours and a result is the same bits for any thread count on a given machine.
 */
public interface Blas {
  /** The system property that chooses the implementation: native, java or auto. */
  String PROPERTY = "twolayer.blas";

  /** A short description for reports and provenance, e.g. "openblas 0.3.31 (native)" or "java". */
  String name();

  /** True for the native library. */
  boolean isNative();

  /**
   * {@code C ← α·op(A)·op(B) + β·C}, float64, row-major: op(A) is m×k, op(B) is k×n, C is m×n. With
   * {@code transA} A is stored k×m (leading dimension lda ≥ m), otherwise m×k (lda ≥ k); likewise B.
   * With β = 0, C is not read.
   */
  void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);

  /** As {@link #gemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int,
   * double, double[], int, int)} in float32. */
  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

  /**
   * The upper triangle of {@code C ← α·AᵀA + β·C} (C n×n, A k×n row-major: a Gram matrix of k samples
   * of n coordinates), about half the work of a general product. Entries below the diagonal are
   * unspecified (they may be left alone or overwritten); callers read the upper triangle only.
   */
  void syrkUpper(int n, int k, double alpha, double[] a, int aOff, int lda, double beta, double[] c, int cOff,
      int ldc);

  /**
   * {@code C += UᵀV} over {@code rows} samples: C (uCols × vCols, row stride cStride) accumulates the
   * outer products u_r v_rᵀ, the shape of every moment sum. A {@link #gemm} with op = (T, N) and β = 1.
   */
  default void accumulateOuterProducts(double[] u, int uOff, int uStride, int uCols, double[] v, int vOff,
      int vStride, int vCols, int rows, double[] c, int cOff, int cStride) {
    gemm(true, false, uCols, vCols, rows, 1.0, u, uOff, uStride, v, vOff, vStride, 1.0, c, cOff, cStride);
  }

  /** Float32 {@link #accumulateOuterProducts(double[], int, int, int, double[], int, int, int, int, double[], int, int)}. */
  default void accumulateOuterProducts(float[] u, int uOff, int uStride, int uCols, float[] v, int vOff,
      int vStride, int vCols, int rows, float[] c, int cOff, int cStride) {
    gemm(true, false, uCols, vCols, rows, 1f, u, uOff, uStride, v, vOff, vStride, 1f, c, cOff, cStride);
  }

  /**
   * {@code out = X Mᵀ}: {@code rows} samples (row stride xStride) mapped through M (mRows × mCols,
   * row-major, contiguous) into out (rows × mRows, row stride outStride). A {@link #gemm} with
   * op = (N, T) and β = 0.
   */
  default void multiplyByTranspose(double[] x, int xOff, int xStride, int rows, double[] m, int mRows, int mCols,
      double[] out, int outOff, int outStride) {
    gemm(false, true, rows, mRows, mCols, 1.0, x, xOff, xStride, m, 0, mCols, 0.0, out, outOff, outStride);
  }

  /** Float32 {@link #multiplyByTranspose(double[], int, int, int, double[], int, int, double[], int, int)}. */
  default void multiplyByTranspose(float[] x, int xOff, int xStride, int rows, float[] m, int mRows, int mCols,
      float[] out, int outOff, int outStride) {
    gemm(false, true, rows, mRows, mCols, 1f, x, xOff, xStride, m, 0, mCols, 0f, out, outOff, outStride);
  }

  /**
   * {@link #gemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double,
   * double[], int, int) gemm} with B in a buffer whose index 0 is B's first element: samples that may
   * sit in a memory-mapped file ({@link java.nio.DoubleBuffer#isDirect direct}) or in an array (a
   * wrapped view). This default reads B's array when it has one and copies B's span into one otherwise.
   */
  default void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
      DoubleBuffer b, int ldb, double beta, double[] c, int cOff, int ldc) {
    DoubleBuffer h = onHeap(b, transB ? span(n, k, ldb) : span(k, n, ldb));
    gemm(transA, transB, m, n, k, alpha, a, aOff, lda, h.array(), h.arrayOffset(), ldb, beta, c, cOff, ldc);
  }

  /**
   * The sums of pass 1 of the method of moments over one block of {@code rows} samples, x and y in
   * buffers from their index 0 (row-major, d and l values per row; mapped or wrapping arrays): the upper
   * triangle of {@code xx += XᵀX} (d×d), {@code yx += YᵀX} (l×d), each output column's sum and sum of
   * squares added to {@code sumY}, {@code sumY2}, and each column's largest magnitude folded into
   * {@code maxX}, {@code maxY} (a NaN never folds in). An implementation may share the operands between
   * these sums and compute them in any order of summation.
   */
  default void secondMomentSums(int rows, DoubleBuffer x, int d, DoubleBuffer y, int l, double[] xx,
      double[] yx, double[] sumY, double[] sumY2, double[] maxX, double[] maxY) {
    DoubleBuffer xh = onHeap(x, rows * d);
    DoubleBuffer yh = onHeap(y, rows * l);
    double[] xa = xh.array();
    double[] ya = yh.array();
    int xOff = xh.arrayOffset();
    int yOff = yh.arrayOffset();
    syrkUpper(d, rows, 1.0, xa, xOff, d, 1.0, xx, 0, d);
    accumulateOuterProducts(ya, yOff, l, l, xa, xOff, d, d, rows, yx, 0, d);
    Elementwise.foldColumnSums(ya, yOff, rows, l, sumY, sumY2);
    Elementwise.foldColumnMaxAbs(xa, xOff, rows, d, maxX);
    Elementwise.foldColumnMaxAbs(ya, yOff, rows, l, maxY);
  }

  /** A buffer's first {@code length} values over a heap array: the buffer itself when it has one, else a copy. */
  private static DoubleBuffer onHeap(DoubleBuffer b, int length) {
    if (b.hasArray()) {
      return b;
    }
    double[] copy = new double[length];
    b.get(0, copy);
    return DoubleBuffer.wrap(copy);
  }

  /** Elements from the first to one past the last of a rows×cols row-major matrix with leading dimension ld. */
  static int span(int rows, int cols, int ld) {
    return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
  }

  /**
   * Which implementation runs: a choice that options carry ({@code RecoveryOptions.blas},
   * {@code TrainingOptions.blas}, {@code PretrainingOptions.blas}) and that
   * travels with the sums of a pass to wherever they run (an enum, so it serializes to a cluster's
   * workers), resolved to an implementation where the products are computed.
   */
  enum Choice {
    /** Native where it loads, else the Java kernels (the default). */
    AUTO("auto"),
    /** OpenBLAS; refused where it does not load. */
    NATIVE("native"),
    /** Our own kernels: the same bits on every CPU. */
    JAVA("java");

    /** The name users give it ({@code --blas NAME}, {@code -Dtwolayer.blas=NAME}). */
    public final String label;

    Choice(String label) {
      this.label = label;
    }

    /** The choice called {@code name}: native, java or auto. */
    public static Choice of(String name) {
      for (Choice c : values()) {
        if (c.label.equals(name)) {
          return c;
        }
      }
      throw new IllegalArgumentException("--blas " + name + " is not a BLAS: use native, java or auto");
    }

    /**
     * The library's default: the system property {@value #PROPERTY} when set ({@code -Dtwolayer.blas}),
     * else auto; read when asked (options read it once, when they are made).
     */
    public static Choice byDefault() {
      return of(System.getProperty(PROPERTY, "auto"));
    }

    /** The implementation this choice runs here; native is refused where it does not load. */
    public Blas implementation() {
      switch (this) {
        case JAVA:
          return JavaBlas.INSTANCE;
        case NATIVE:
          if (!NativeBlas.available()) {
            throw new IllegalStateException("--blas native was asked for, but the native BLAS does not load here ("
                + NativeBlas.loadFailure() + "); use --blas java or --blas auto");
          }
          return NativeBlas.instance();
        default:
          return NativeBlas.available() ? NativeBlas.instance() : JavaBlas.INSTANCE;
      }
    }

    /**
     * A note for reports when auto fell back to the Java kernels: why the native library did not load;
     * null when it loaded or was not asked for.
     */
    public String fallbackNote() {
      if (this != AUTO || NativeBlas.available()) {
        return null;
      }
      return "native BLAS unavailable (" + NativeBlas.loadFailure() + "): using the Java kernels";
    }

    /**
     * What ran, for a result's provenance: "blas", the implementation's name, and "blas_note" when auto
     * fell back to the Java kernels ({@link #fallbackNote}).
     */
    public void describeIn(Map<String, Object> provenance) {
      provenance.put("blas", implementation().name());
      String note = fallbackNote();
      if (note != null) {
        provenance.put("blas_note", note);
      }
    }
  }
}
