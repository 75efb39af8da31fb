package io.github.twolayer.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decimal numbers as written by NumPy, pandas or a spreadsheet ({@code -0.57433800931933132},
 * {@code 1.5e-3}) parsed to exactly the double {@link Double#parseDouble} gives, about twice as fast as
 * a general parser for the common case, which is all a numeric CSV file holds: at most 18 significant
 * digits m and a decimal exponent e with |e| ≤ 22, so that 10^|e| is an exact double P.
 *
 * <ul>
 *   <li>m ≤ 2⁵³: m is exact and m·P or m/P is one correctly rounded operation (Clinger's fast path).</li>
 *   <li>2⁵³ < m < 10¹⁸ (17 and 18 digits): m = hi + lo exactly (hi the double nearest m, |lo| ≤ 64);
 *       the product or quotient of hi and P is split into its rounded value and its exact error (an
 *       FMA gives the remainder of a correctly rounded division, or the error of a product, exactly),
 *       the error and lo are added as a small correction, and the result is accepted only when the
 *       correction leaves it clearly away from a halfway point between two doubles (by 2⁻³⁰ of an
 *       ulp, far beyond the correction's own rounding of ~2⁻⁵⁰ ulp).</li>
 * </ul>
 * Everything else (more digits, larger exponents, hexadecimal, NaN, Infinity, suffixes, blanks, near
 * halfway cases) goes to FastDoubleParser, which implements {@code Double.parseDouble} in full and
 * throws its {@link NumberFormatException} for text that is not a number.
 */
final class DecimalParser {
  private DecimalParser() {}

  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p; // 10^i, exact up to 10^22
      p *= 10;
    }
  }

  private static final long TWO_53 = 1L << 53;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** m below this takes one more digit without leaving the range where the fast path is exact (m < 10¹⁸). */
  private static final long LIMIT = 100_000_000_000_000_000L;
  /** m below this takes eight more digits (m·10⁸ + 99 999 999 < 10¹⁸). */
  private static final long LIMIT8 = 10_000_000_000L;

  /** True when the eight bytes of {@code word} are all ASCII digits. */
  private static boolean eightDigits(long word) {
    return ((word & 0xF0F0F0F0F0F0F0F0L) | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
        == 0x3333333333333333L;
  }

  /** The value of eight ASCII digits, the first in the lowest byte (SWAR: pairs, quads, then all eight). */
  private static long eightDigitValue(long word) {
    long v = word - 0x3030303030303030L;
    v = (v * 10 + (v >>> 8)) & 0x00FF00FF00FF00FFL;
    v = (v * 100 + (v >>> 16)) & 0x0000FFFF0000FFFFL;
    return (v * 10000 + (v >>> 32)) & 0xFFFFFFFFL;
  }

  /** The double of the text {@code s[from, to)}, bit for bit as {@code Double.parseDouble} would give it. */
  static double parse(byte[] s, int from, int to) {
    int[] stop = new int[1];
    double value = parsePrefix(s, from, to, stop);
    return stop[0] == to ? value : JavaDoubleParser.parseDouble(s, from, to - from);
  }

  /**
   * The number that starts at {@code s[from]} and ends before {@code limit} or at the first byte that
   * cannot continue it; {@code stop[0]} receives the index of that byte, or −1 when the text is not of
   * the common form (or sits near a halfway point), in which case the caller must find the field's end
   * and call {@link #parse}. Lets a CSV reader parse a field without first looking for its end.
   */
  static double parsePrefix(byte[] s, int from, int limit, int[] stop) {
    int to = limit;
    int i = from;
    if (i >= to) {
      stop[0] = -1;
      return 0;
    }
    boolean negative = false;
    byte c = s[i];
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    long m = 0;
    int start = i;
    int point = -1; // the index of the decimal point, if any
    while (true) {
      // Digits: eight at a time while the mantissa has room, then one by one.
      for (; i + 8 <= to && m < LIMIT8; i += 8) {
        long word = (long) LONGS.get(s, i);
        if (!eightDigits(word)) {
          break;
        }
        m = m * 100_000_000L + eightDigitValue(word);
      }
      while (i < to && (c = s[i]) >= '0' && c <= '9') {
        if (m >= LIMIT) {
          stop[0] = -1;
          return 0;
        }
        m = 10 * m + (c - '0');
        i++;
      }
      if (point < 0 && i < to && s[i] == '.') {
        point = i++;
        continue; // the fraction's digits
      }
      break;
    }
    boolean any = i > start + (point >= 0 ? 1 : 0);
    int exp10 = point >= 0 ? point + 1 - i : 0;
    if (!any) {
      stop[0] = -1;
      return 0;
    }
    if (i < to && (s[i] == 'e' || s[i] == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < to && (s[i] == '-' || s[i] == '+')) {
        negativeExponent = s[i] == '-';
        i++;
      }
      int e = 0;
      int expStart = i;
      while (i < to && (c = s[i]) >= '0' && c <= '9' && e < 10000) {
        e = 10 * e + (c - '0');
        i++;
      }
      if (i == expStart || e >= 10000) {
        stop[0] = -1;
        return 0;
      }
      exp10 += negativeExponent ? -e : e;
    }
    stop[0] = i;
    if (m == 0) {
      return negative ? -0.0 : 0.0;
    }
    double value = exp10 >= -22 && exp10 <= 22 ? convert(m, exp10) : Double.NaN;
    if (Double.isNaN(value)) {
      stop[0] = -1;
      return 0;
    }
    return negative ? -value : value;
  }

  /** m·10^e correctly rounded for 0 < m < 10¹⁸ and |e| ≤ 22, or NaN when that cannot be certified. */
  static double convert(long m, int e) {
    double p = POWERS[Math.abs(e)];
    if (m <= TWO_53) {
      return e >= 0 ? m * p : m / p;
    }
    double hi = (double) m;
    long lo = m - (long) hi; // exact: |lo| ≤ ulp(hi)/2 ≤ 64 for m < 2⁶⁰
    double rounded;
    double correction;
    if (e >= 0) {
      rounded = hi * p;
      double error = Math.fma(hi, p, -rounded); // hi·p − rounded, exactly
      correction = error + lo * p;
    } else {
      rounded = hi / p;
      double remainder = Math.fma(-rounded, p, hi); // hi − rounded·p, exactly (q correctly rounded)
      correction = (remainder + lo) * (1 / p); // a tiny term: the reciprocal's rounding is negligible
    }
    double r = rounded + correction;
    double tail = correction - (r - rounded); // rounded + correction − r, exactly (|correction| ≤ |rounded|)
    // Half the gap to the nearer neighbour (below a power of two the gap below is half the one above).
    double halfUlp = (Double.doubleToRawLongBits(r) & 0xFFFFFFFFFFFFFL) == 0 ? 0.25 * Math.ulp(r) : 0.5 * Math.ulp(r);
    if (Math.abs(tail) > halfUlp * (1 - 0x1p-30) || Double.isInfinite(r)) {
      return Double.NaN; // near a halfway point: let the general parser decide
    }
    return r;
  }
}
