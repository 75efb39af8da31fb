package io.github.twolayer.moments;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.Kernels;
import io.github.twolayer.linalg.Matrices;
import io.github.twolayer.pass.Accumulator;

/**
 * Pass 2 (spec §3 steps 4–5): the detector matrix {@code Tm = (1/n) Σ q zᵀ} (m2 × s2) with
 * q = Frobenius-packed x̃x̃ᵀ and z = Frobenius-packed (y'y'ᵀ − ½ (P'x̃)(P'x̃)ᵀ), so that Tm·pack(U) is the
 * packed T(U) of spec §2.3. It is accumulated transposed (s2 × m2) as one blocked product
 * {@code Zᵀ Q} per block of samples; no 4-way tensor is ever formed. A column of ones appended to Z
 * yields Σ q in the same product: the direction of vec(E[xxᵀ]) that step 5 projects out.
 *
 * <p><b>Reflected samples</b> (our addition, {@link Options#reflectSamples()}, on by default). Since
 * relu(−t) = relu(t) − t, the output at −x is determined by the sample: y(−x) = y − P x (plus the same
 * noise). Averaging z over each sample and its reflection (−x, y' − P'x) — q is even, so it is
 * unchanged — gives z = sym(y'(y' − P'x)ᵀ) = ¼(g gᵀ − P'x xᵀP'ᵀ) with g = A'|Wx|: the plain z minus its
 * odd part ¼(P'x gᵀ + g xᵀP'ᵀ). That part has zero mean against the even q under any symmetric law,
 * so the population matrix is unchanged, but it carries most of the variance: measured over 5 seeds at
 * d = 10, k = 5, n = 10⁶, the W error falls 2–3× for bounded inputs and 20× for Student-t (df 5).
 */
final class DetectorMoments implements Accumulator<DetectorMoments> {
  private static final long serialVersionUID = 1L;
  /** Rows per feature chunk: bounds the scratch (CHUNK × m2 doubles) whatever the block length. */
  private static final int CHUNK = 256;

  private final int d;
  private final int l;
  private final int k;
  private final int dd;
  private final double[] rt;     // dd×d, Rᵀ (null: no input reduction)
  private final double[] qt;     // k×l, Qᵀ
  private final double[] pPrime; // k×dd
  private final boolean reflect;
  private final int s2;
  private final int m2;
  private final double[] sums; // (s2 + 1) × m2: rows 0..s2−1 are Σ z qᵀ, row s2 is Σ q
  private long n;
  private transient double[] xt;
  private transient double[] yp;
  private transient double[] px;
  private transient double[] qm;
  private transient double[] zm;

  /**
   * A zero accumulator.
   *
   * @param r d×dd input reduction (null: none, dd = d)
   * @param q l×k output reduction
   * @param pPrime k×dd, the linear part in reduced coordinates
   */
  DetectorMoments(int d, int l, double[] r, int dd, double[] q, double[] pPrime, int k, boolean reflect) {
    this(d, l, k, dd, r == null ? null : Matrices.transpose(r, d, dd), Matrices.transpose(q, l, k), pPrime, reflect);
  }

  private DetectorMoments(int d, int l, int k, int dd, double[] rt, double[] qt, double[] pPrime, boolean reflect) {
    this.d = d;
    this.l = l;
    this.k = k;
    this.dd = dd;
    this.rt = rt;
    this.qt = qt;
    this.pPrime = pPrime;
    this.reflect = reflect;
    this.s2 = SymmetricPacking.size(k);
    this.m2 = SymmetricPacking.size(dd);
    this.sums = new double[(s2 + 1) * m2];
  }

  @Override
  public DetectorMoments empty() {
    return new DetectorMoments(d, l, k, dd, rt, qt, pPrime, reflect);
  }

  @Override
  public long count() {
    return n;
  }

  @Override
  public void combine(DetectorMoments other) {
    SecondMoments.add(sums, other.sums);
    n += other.n;
  }

  @Override
  public void accept(RowBlock b) {
    int zCols = s2 + 1;
    if (qm == null) {
      xt = rt == null ? null : new double[CHUNK * dd];
      yp = new double[CHUNK * k];
      px = new double[CHUNK * k];
      qm = new double[CHUNK * m2];
      zm = new double[CHUNK * zCols];
    }
    for (int from = 0; from < b.rows(); from += CHUNK) {
      int count = Math.min(CHUNK, b.rows() - from);
      double[] xs;
      int xOff;
      int xStride;
      if (rt != null) {
        Kernels.multiplyByTranspose(b.x(), b.xOffset() + from * d, d, count, rt, dd, d, xt, 0, dd);
        xs = xt;
        xOff = 0;
        xStride = dd;
      } else {
        xs = b.x();
        xOff = b.xOffset() + from * d;
        xStride = d;
      }
      Kernels.multiplyByTranspose(b.y(), b.yOffset() + from * l, l, count, qt, k, l, yp, 0, k);
      Kernels.multiplyByTranspose(xs, xOff, xStride, count, pPrime, k, dd, px, 0, k);
      for (int i = 0; i < count; i++) {
        SymmetricPacking.packOuter(xs, xOff + i * xStride, dd, qm, i * m2);
        int idx = i * zCols;
        int yo = i * k;
        if (reflect) {
          // z averaged over the sample and its reflection (−x, y' − P'x): sym(y' (y' − P'x)ᵀ).
          for (int a = 0; a < k; a++) {
            double ra = yp[yo + a] - px[yo + a];
            zm[idx++] = yp[yo + a] * ra;
            for (int c = a + 1; c < k; c++) {
              double rc = yp[yo + c] - px[yo + c];
              zm[idx++] = SymmetricPacking.SQRT2 * 0.5 * (yp[yo + a] * rc + yp[yo + c] * ra);
            }
          }
        } else {
          for (int a = 0; a < k; a++) {
            zm[idx++] = yp[yo + a] * yp[yo + a] - 0.5 * px[yo + a] * px[yo + a];
            for (int c = a + 1; c < k; c++) {
              zm[idx++] = SymmetricPacking.SQRT2 * (yp[yo + a] * yp[yo + c] - 0.5 * px[yo + a] * px[yo + c]);
            }
          }
        }
        zm[idx] = 1;
      }
      Kernels.accumulateOuterProducts(zm, 0, zCols, qm, 0, m2, m2, count, sums, m2, 0, zCols);
    }
    n += b.rows();
  }

  /** (Π Tm)ᵀ, s2 × m2: Tm/n with the normalized direction s = Σq/‖Σq‖ removed from its columns. */
  double[] projectedTranspose() {
    double[] s = new double[m2];
    double norm = 0;
    for (int i = 0; i < m2; i++) {
      s[i] = sums[s2 * m2 + i];
      norm += s[i] * s[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < m2; i++) {
      s[i] /= norm;
    }
    double[] t = new double[s2 * m2];
    for (int j = 0; j < s2; j++) {
      double dot = 0;
      for (int i = 0; i < m2; i++) {
        t[j * m2 + i] = sums[j * m2 + i] / n;
        dot += t[j * m2 + i] * s[i];
      }
      for (int i = 0; i < m2; i++) {
        t[j * m2 + i] -= dot * s[i];
      }
    }
    return t;
  }
}
