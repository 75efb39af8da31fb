package io.github.twolayer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DecimalParser} against {@link Double#parseDouble}: the same bits for every text, or the same error. */
class DecimalParserTest {

  static void same(String text) {
    byte[] b = ("  " + text + "  ").getBytes(StandardCharsets.UTF_8);
    double ours = DecimalParser.parse(b, 2, 2 + text.length());
    assertThat(Double.doubleToRawLongBits(ours)).as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "-0.0", "+3", ".5", "5.", "00012.5000", "1e5", "1E+05", "2.5e-3", "-1.0E-22",
      "123456789012345678", "0.000000000000000000000001", "9007199254740993", "9007199254740992.5", "1e22", "1e23",
      "4.9e-324", "1.7976931348623157e308", "NaN", "-Infinity", "0x1p3", "1d", "2f", "1e-400", "1e400",
      "0.1234567890123456789", "-0.57433800931933132", "0.012129845058745925"})
  void edgeCasesAreTheDoublesOfParseDouble(String text) {
    same(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "e5", "1e", "1.2.3", "abc", "--1", "1,5", "+"})
  void textThatIsNotANumberIsRefusedAsParseDoubleRefusesIt(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Double.parseDouble(text.isEmpty() ? "" : text)).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> DecimalParser.parse(b, 0, b.length)).isInstanceOf(NumberFormatException.class);
  }

  @Tag("acceptance")
  @Test
  void randomNumbersInEveryCommonFormatAreTheSameBits() {
    Random r = new Random(42);
    String[] formats = {"%.17g", "%.16g", "%.15g", "%.18g", "%.6e", "%.17e", "%.12f", "%.3f"};
    for (int i = 0; i < 400_000; i++) {
      double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(50) - 25);
      same(String.format(Locale.ROOT, formats[i % formats.length], v));
      if (i % 4 == 0) {
        same(Double.toString(v));
      }
    }
  }

  @Test
  void randomDigitStringsAreTheSameBits() {
    Random r = new Random(7);
    for (int i = 0; i < 400_000; i++) {
      int digits = 1 + r.nextInt(19);
      StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
      int point = r.nextInt(digits + 1);
      for (int k = 0; k < digits; k++) {
        if (k == point) {
          sb.append('.');
        }
        sb.append((char) ('0' + r.nextInt(10)));
      }
      if (r.nextInt(3) == 0) {
        sb.append('e').append(r.nextInt(61) - 30);
      }
      same(sb.toString());
    }
  }

  @Test
  void numbersNextToHalfwayPointsAreTheSameBits() {
    // The midpoint between a double and its neighbour, written to 17–18 significant digits and nudged by
    // one unit in the last digit: the cases where a sloppy conversion rounds the wrong way.
    Random r = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      double x = (1 + r.nextDouble()) * Math.pow(10, r.nextInt(30) - 15);
      BigDecimal mid = new BigDecimal(x).add(new BigDecimal(Math.nextUp(x))).divide(BigDecimal.valueOf(2));
      for (int precision : new int[] {17, 18}) {
        BigDecimal rounded = mid.round(new MathContext(precision));
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(rounded.precision() - rounded.scale() - precision);
        same(rounded.toString());
        same(rounded.add(unit).toString());
        same(rounded.subtract(unit).toString());
      }
    }
  }
}
