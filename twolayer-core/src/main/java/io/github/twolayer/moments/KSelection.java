package io.github.twolayer.moments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --k auto} (ours): the number of hidden units the data show. P = A·W (docs/ge-method.md, step 2) has rank
 * k, so the whitened P Σx^½ has k singular values that stand out of the sampling noise of pass 1 and
 * min(d, l) − k at its level; {@code rank_snr} measures each against that level, (2σ_y/√n)(√l + √d)
 * (as for a given k in {@link MomentRecovery}). k is the number at or above {@link #SIGNAL}; a value
 * between {@link #NOISE} and {@link #SIGNAL} makes the count ambiguous and is refused rather than
 * guessed. The detector of step 6 then checks the chosen k as it checks a given one.
 */
public final class KSelection {
  /** rank_snr from which a singular value counts as a hidden unit. */
  public static final double SIGNAL = 3;

  /** rank_snr below which a singular value counts as sampling noise. */
  public static final double NOISE = 1;

  private final int k;
  private final double[] snr;
  private final int d;
  private final int l;

  private KSelection(int k, double[] snr, int d, int l) {
    this.k = k;
    this.snr = snr;
    this.d = d;
    this.l = l;
  }

  /** The k of the pass-1 sums {@code first} (d inputs, l outputs), or a refusal naming the evidence. */
  static KSelection of(SecondMoments first, int d, int l) {
    double[] sigmaX = first.secondMoment();
    double[] p = MomentRecovery.linearPart(sigmaX, first.crossMoment(), d, l);
    double[] snr = MomentRecovery.rankSnrs(p, sigmaX, d, l, first.pooledStdY(), first.n());
    int m = snr.length;
    int signal = 0;
    int ambiguous = -1;
    for (int j = 0; j < m; j++) {
      if (snr[j] >= SIGNAL) {
        signal++;
      } else if (snr[j] >= NOISE && ambiguous < 0) {
        ambiguous = j;
      }
    }
    if (ambiguous >= 0 || signal == 0) {
      StringBuilder values = new StringBuilder();
      for (int j = 0; j < Math.min(m, signal + 3); j++) {
        values.append(j == 0 ? "" : ", ").append(String.format("%.3g", snr[j]));
      }
      String why = signal == 0 && ambiguous < 0
          ? "no hidden unit stands out of the sampling noise"
          : "k = " + (ambiguous + 1) + " is ambiguous (between noise, below " + NOISE + ", and a unit, from " + SIGNAL
              + ")" + (signal > 0 ? "; k = " + signal + " is supported" : "");
      throw new RecoveryException("k_selection", signal, "no k is clearly supported: " + why + "; the singular values "
          + "of the linear part stand " + values + (m > signal + 3 ? ", …" : "") + " times above the sampling noise "
          + "(n = " + first.n() + "); use more samples, or pass --k");
    }
    return new KSelection(signal, snr, d, l);
  }

  /**
   * Refuses a count that reached its ceiling: P = A·W has rank at most min(d, l), so when every one of
   * the min(d, l) candidates stands out of the noise the network has at least that many units, and one
   * with more (more units than outputs, say) shows the same spectrum. The data then cannot tell k; the
   * user who knows the network has exactly min(d, l) units passes it.
   */
  void requireBelowCeiling() {
    int ceiling = snr.length;
    if (k < ceiling) {
      return;
    }
    String limit = l <= d ? "l = " + l + (l == 1 ? " output" : " outputs") : "d = " + d + " inputs";
    StringBuilder values = new StringBuilder();
    for (int j = 0; j < Math.min(ceiling, 3); j++) {
      values.append(j == 0 ? "" : ", ").append(String.format("%.3g", snr[j]));
    }
    throw new RecoveryException("k_selection", k, (ceiling == 1 ? "the one singular value of the linear part stands"
        : "all " + ceiling + " singular values of the linear part stand") + " out of the sampling noise (" + values
        + (ceiling > 3 ? ", …" : "") + " times its level): the network has at least " + ceiling
        + (ceiling == 1 ? " hidden unit" : " hidden units") + ", and data with " + limit + " can show at most k = "
        + ceiling + " (the method needs k ≤ " + (l <= d ? "l" : "d") + "), so a network with more units looks the "
        + "same; pass --k (" + ceiling + " if the network has exactly that many)");
  }

  int k() {
    return k;
  }

  /** rank_snr of every candidate k, descending (the evidence). */
  List<Double> rankSnrs() {
    return Arrays.stream(snr).boxed().toList();
  }

  /**
   * {@code k_selected} (when k was chosen; null otherwise) and {@code k_evidence}, each candidate k with
   * its rank_snr: the JSON of the diagnostics.
   */
  static Map<String, Object> report(Integer kSelected, List<Double> rankSnrs) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (kSelected != null) {
      m.put("k_selected", kSelected);
    }
    List<Map<String, Object>> evidence = new ArrayList<>();
    for (int j = 0; j < rankSnrs.size(); j++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("k", j + 1);
      e.put("rank_snr", rankSnrs.get(j));
      evidence.add(e);
    }
    m.put("k_evidence", evidence);
    return m;
  }
}
