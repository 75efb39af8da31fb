package io.github.twolayer.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native BLAS against the Java kernels and against a plain triple loop, in both precisions, for
 * every transpose combination, with offsets, gaps between rows (ld larger than the row) and α, β.
 *
 * <p>Tolerance: each entry of op(A)op(B) is a sum of k products; two implementations differ only in the
 * order of that sum and in fused multiply-adds, so by the standard bound (Higham, Accuracy and
 * Stability, §3.1) |ΔC_ij| ≤ γ_k (|α| |op(A)| |op(B)|)_ij with γ_k = k·u/(1 − k·u), u the unit roundoff
 * (2⁻⁵³ in float64, 2⁻²⁴ in float32). β·C adds one rounding of |β C_ij|. We assert twice that bound.
 */
class BlasTest {

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(false, false, 37, 41, 300), Arguments.of(false, true, 37, 41, 300),
        Arguments.of(true, false, 37, 41, 300), Arguments.of(true, true, 37, 41, 300),
        Arguments.of(true, false, 56, 55, 2048), Arguments.of(false, true, 10, 2048, 50),
        Arguments.of(false, false, 3, 2, 5)); // tiny: stays in Java on either implementation
  }

  static Stream<Blas> implementations() {
    return NativeBlas.available() ? Stream.of(JavaBlas.instance(), NativeBlas.instance())
        : Stream.of(JavaBlas.instance());
  }

  static Stream<Arguments> cases() {
    return shapes().flatMap(s -> implementations().map(b -> {
      Object[] a = s.get();
      return Arguments.of(b, a[0], a[1], a[2], a[3], a[4]);
    }));
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2} {3}×{4}×{5}")
  @MethodSource("cases")
  void doubleProductsMatchTheTripleLoopWithinTheRoundingBound(Blas blas, boolean ta, boolean tb, int m, int n, int k) {
    Random r = new Random(m * 1000L + n * 10L + k);
    int lda = (ta ? m : k) + 3;
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 5;
    double[] a = gaussian(r, 7 + (ta ? k : m) * lda);
    double[] b = gaussian(r, 5 + (tb ? n : k) * ldb);
    double[] c = gaussian(r, 3 + m * ldc);
    double[] expected = c.clone();
    double[] bound = new double[c.length];
    double alpha = 0.75;
    double beta = -1.5;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double x = ta ? a[7 + p * lda + i] : a[7 + i * lda + p];
          double y = tb ? b[5 + j * ldb + p] : b[5 + p * ldb + j];
          sum += x * y;
          abs += Math.abs(x * y);
        }
        int o = 3 + i * ldc + j;
        expected[o] = alpha * sum + beta * c[o];
        double u = 0x1p-53;
        bound[o] = 2 * ((k + 2) * u / (1 - (k + 2) * u) * Math.abs(alpha) * abs + 2 * u * Math.abs(beta * c[o]));
      }
    }
    blas.gemm(ta, tb, m, n, k, alpha, a, 7, lda, b, 5, ldb, beta, c, 3, ldc);
    for (int e = 0; e < c.length; e++) {
      int row = (e - 3) / ldc;
      int col = (e - 3) % ldc;
      boolean inside = e >= 3 && row < m && col < n;
      if (inside) {
        assertThat(Math.abs(c[e] - expected[e])).as("entry %d,%d", row, col).isLessThanOrEqualTo(bound[e]);
      } else {
        assertThat(c[e]).as("outside C at %d", e).isEqualTo(expected[e]); // gaps and margins untouched
      }
    }
  }

  @ParameterizedTest(name = "{0} transA={1} transB={2} {3}×{4}×{5}")
  @MethodSource("cases")
  void floatProductsMatchTheTripleLoopWithinTheRoundingBound(Blas blas, boolean ta, boolean tb, int m, int n, int k) {
    Random r = new Random(m * 1000L + n * 10L + k + 1);
    int lda = (ta ? m : k) + 1;
    int ldb = (tb ? k : n) + 4;
    int ldc = n + 2;
    float[] a = floats(r, 2 + (ta ? k : m) * lda);
    float[] b = floats(r, 1 + (tb ? n : k) * ldb);
    float[] c = floats(r, m * ldc);
    float[] before = c.clone();
    float alpha = 1f;
    float beta = 1f;
    blas.gemm(ta, tb, m, n, k, alpha, a, 2, lda, b, 1, ldb, beta, c, 0, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double x = ta ? a[2 + p * lda + i] : a[2 + i * lda + p];
          double y = tb ? b[1 + j * ldb + p] : b[1 + p * ldb + j];
          sum += x * y;
          abs += Math.abs(x * y);
        }
        int o = i * ldc + j;
        double u = 0x1p-24;
        double bound = 2 * ((k + 2) * u / (1 - (k + 2) * u) * abs + 2 * u * Math.abs(before[o]));
        assertThat(Math.abs(c[o] - (sum + before[o]))).as("entry %d,%d", i, j).isLessThanOrEqualTo(bound);
      }
      for (int j = n; j < ldc && i * ldc + j < c.length; j++) {
        assertThat(c[i * ldc + j]).isEqualTo(before[i * ldc + j]);
      }
    }
  }

  @ParameterizedTest(name = "{0} n={1} k={2}")
  @MethodSource("gramCases")
  void gramMatricesFillTheUpperTriangle(Blas blas, int n, int k) {
    Random r = new Random(n + 7L * k);
    double[] a = gaussian(r, 4 + k * n);
    double[] c = gaussian(r, n * n);
    double[] before = c.clone();
    blas.syrkUpper(n, k, 1.0, a, 4, n, 1.0, c, 0, n);
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double sum = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          sum += a[4 + p * n + i] * a[4 + p * n + j];
          abs += Math.abs(a[4 + p * n + i] * a[4 + p * n + j]);
        }
        double u = 0x1p-53;
        assertThat(Math.abs(c[i * n + j] - (sum + before[i * n + j])))
            .isLessThanOrEqualTo(2 * ((k + 2) * u * abs + 2 * u * Math.abs(before[i * n + j])));
      }
    }
  }

  static Stream<Arguments> gramCases() {
    return implementations().flatMap(b -> Stream.of(Arguments.of(b, 50, 4096), Arguments.of(b, 5, 9)));
  }

  /**
   * Pass 1's sums in one call: XᵀX and YᵀX are the bits of the separate calls (the same products on the
   * same operands); Σy and Σy² agree with the plain loop within the rounding bound of a sum of {@code
   * rows} terms (twice γ_rows·Σ|terms|, as above: the native path sums them in another order); the
   * column maxima are exact, including rows past the last full run of the native search, negative
   * extremes, a maximum in the last row, and blocks small enough for the Java kernels.
   */
  @ParameterizedTest(name = "{0} rows={1} direct={2}")
  @MethodSource("pass1Cases")
  void secondMomentSumsMatchTheSeparateCallsAndTheLoops(Blas blas, int rows, boolean direct) {
    int d = 50;
    int l = 20;
    Random r = new Random(rows);
    double[] x = gaussian(r, 3 + rows * d);
    double[] y = gaussian(r, 5 + rows * l);
    x[3 + (rows - 1) * d + 7] = -40; // the largest magnitude of column 7, negative, in the last row
    y[5 + (rows / 2) * l] = 30;
    double[] xx = gaussian(r, d * d);
    double[] yx = gaussian(r, l * d);
    double[] sumY = gaussian(r, l);
    double[] sumY2 = gaussian(r, l);
    double[] maxX = new double[d];
    double[] maxY = new double[l];
    maxY[3] = 1e9; // already larger than anything in the block: kept
    double[] xxSeparate = xx.clone();
    double[] yxSeparate = yx.clone();
    double[] sumLoop = sumY.clone();
    double[] sumSqLoop = sumY2.clone();
    double[] maxXScan = maxX.clone();
    double[] maxYScan = maxY.clone();
    blas.secondMomentSums(rows, samples(x, 3, rows * d, direct), d, samples(y, 5, rows * l, direct), l, xx, yx, sumY,
        sumY2, maxX, maxY);
    blas.syrkUpper(d, rows, 1.0, x, 3, d, 1.0, xxSeparate, 0, d);
    blas.accumulateOuterProducts(y, 5, l, l, x, 3, d, d, rows, yxSeparate, 0, d);
    Elementwise.foldColumnSums(y, 5, rows, l, sumLoop, sumSqLoop);
    Elementwise.foldColumnMaxAbs(x, 3, rows, d, maxXScan);
    Elementwise.foldColumnMaxAbs(y, 5, rows, l, maxYScan);
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) { // the upper triangle is what syrkUpper promises
        assertThat(xx[i * d + j]).isEqualTo(xxSeparate[i * d + j]);
      }
    }
    assertThat(yx).isEqualTo(yxSeparate);
    double u = 0x1p-53;
    for (int a = 0; a < l; a++) {
      double abs = 0;
      double squares = 0;
      for (int i = 0; i < rows; i++) {
        abs += Math.abs(y[5 + i * l + a]);
        squares += y[5 + i * l + a] * y[5 + i * l + a];
      }
      double gamma = (rows + 2) * u / (1 - (rows + 2) * u);
      assertThat(Math.abs(sumY[a] - sumLoop[a])).isLessThanOrEqualTo(2 * gamma * (abs + Math.abs(sumLoop[a])));
      assertThat(Math.abs(sumY2[a] - sumSqLoop[a])).isLessThanOrEqualTo(2 * gamma * (squares + Math.abs(sumSqLoop[a])));
    }
    assertThat(maxX).isEqualTo(maxXScan);
    assertThat(maxY).isEqualTo(maxYScan);
    assertThat(maxX[7]).isEqualTo(40);
    assertThat(maxY[0]).isEqualTo(30);
    assertThat(maxY[3]).isEqualTo(1e9);
  }

  static Stream<Arguments> pass1Cases() {
    return implementations().flatMap(b -> Stream.of(true, false).flatMap(direct -> Stream.of(
        Arguments.of(b, 4096, direct), Arguments.of(b, 1300, direct), Arguments.of(b, 3, direct))));
  }

  /**
   * {@code length} values of {@code a} from {@code off} as a buffer from its index 0: a view of the array,
   * or (direct) a copy off the heap in little-endian order, as rows mapped from an .npy file are.
   */
  static DoubleBuffer samples(double[] a, int off, int length, boolean direct) {
    if (!direct) {
      return DoubleBuffer.wrap(a, off, length).slice();
    }
    DoubleBuffer b = ByteBuffer.allocateDirect(8 * length + 8).order(ByteOrder.LITTLE_ENDIAN)
        .position(4).slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer(); // unaligned, as in a zip entry
    b.put(0, a, off, length);
    return b;
  }

  /** gemm with B in a buffer (a view of an array, or direct and unaligned) gives the bits of the array form. */
  @ParameterizedTest(name = "{0} transB={1} direct={2}")
  @MethodSource("bufferCases")
  void gemmWithBInABufferMatchesTheArrayForm(Blas blas, boolean transB, boolean direct) {
    Random r = new Random(11);
    int m = 10;
    int n = 512;
    int k = 50;
    int ldb = transB ? k : n;
    double[] a = gaussian(r, m * k);
    double[] b = gaussian(r, 7 + (transB ? n : k) * ldb);
    double[] c = gaussian(r, m * n);
    double[] expected = c.clone();
    blas.gemm(false, transB, m, n, k, 1.0, a, 0, k, b, 7, ldb, 1.0, expected, 0, n);
    blas.gemm(false, transB, m, n, k, 1.0, a, 0, k, samples(b, 7, b.length - 7, direct), ldb, 1.0, c, 0, n);
    assertThat(c).isEqualTo(expected);
  }

  static Stream<Arguments> bufferCases() {
    return implementations().flatMap(b -> Stream.of(true, false).flatMap(t -> Stream.of(
        Arguments.of(b, t, true), Arguments.of(b, t, false))));
  }

  @Test
  void theNativeLibraryLoadsOnLinuxX8664() {
    // The platform jar ships the natives for this platform: a packaging mistake must fail here, not
    // silently fall back to Java on every user's machine.
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
    assertThat(NativeBlas.available()).as("native BLAS load failure: %s", NativeBlas.loadFailure()).isTrue();
    assertThat(NativeBlas.instance().name()).startsWith("openblas");
  }

  @Test
  void thePropertyChoosesTheLibrarysDefault() {
    String before = System.getProperty(Blas.PROPERTY);
    try {
      System.setProperty(Blas.PROPERTY, "java");
      assertThat(Blas.Choice.byDefault()).isSameAs(Blas.Choice.JAVA);
      assertThat(Blas.Choice.byDefault().implementation()).isSameAs(JavaBlas.instance());
      assertThat(Blas.Choice.byDefault().fallbackNote()).isNull();
      System.setProperty(Blas.PROPERTY, "auto");
      assertThat(Blas.Choice.byDefault().implementation().isNative()).isEqualTo(NativeBlas.available());
      System.setProperty(Blas.PROPERTY, "fortran");
      assertThatThrownBy(Blas.Choice::byDefault).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("use native, java or auto");
    } finally {
      if (before == null) {
        System.clearProperty(Blas.PROPERTY);
      } else {
        System.setProperty(Blas.PROPERTY, before);
      }
    }
  }

  @Test
  void productsAreTheSameBitsWhenRepeatedOnAnotherThread() throws Exception {
    // Our parallel loops rely on a call's result depending on its operands only.
    Random r = new Random(3);
    double[] a = gaussian(r, 2048 * 56);
    double[] b = gaussian(r, 2048 * 55);
    double[] c1 = new double[56 * 55];
    double[] c2 = new double[56 * 55];
    Blas blas = Blas.Choice.AUTO.implementation();
    blas.gemm(true, false, 56, 55, 2048, 1.0, a, 0, 56, b, 0, 55, 0.0, c1, 0, 55);
    Thread t = new Thread(() -> blas.gemm(true, false, 56, 55, 2048, 1.0, a, 0, 56, b, 0, 55, 0.0, c2, 0, 55));
    t.start();
    t.join();
    assertThat(c2).isEqualTo(c1);
  }

  static double[] gaussian(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }

  static float[] floats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }
}
