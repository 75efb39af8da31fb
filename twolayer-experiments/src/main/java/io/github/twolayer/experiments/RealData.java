package io.github.twolayer.experiments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The real data sets of the experiments {@code ge-real} and {@code collins-digits}, read from the jar
 * (their sources and licence: the README beside them, under {@code io/github/twolayer/experiments/data}).
 * Columns {@code x0..x(d-1)} are the inputs; a last column that is not an input (digit, benign) is the
 * label.
 */
final class RealData {
  private RealData() {}

  /** The data sets {@code ge-real} runs on, in the order of its grid. */
  static final List<String> NAMES = List.of("wine", "breast-cancer", "digits");

  /**
   * One data set: n rows of d inputs (row-major) and, when the file has one, an integer label per row.
   *
   * @param label the label column (digit 0..9, benign 1/0), or null
   */
  record Table(String name, int n, int d, double[] x, int[] label) {
    /** The inputs without the columns that never vary (blank pixels of every image): they carry nothing. */
    Table withoutConstantColumns() {
      List<Integer> keep = new ArrayList<>();
      for (int p = 0; p < d; p++) {
        for (int i = 1; i < n; i++) {
          if (x[i * d + p] != x[p]) {
            keep.add(p);
            break;
          }
        }
      }
      if (keep.size() == d) {
        return this;
      }
      int dd = keep.size();
      double[] out = new double[n * dd];
      for (int i = 0; i < n; i++) {
        for (int q = 0; q < dd; q++) {
          out[i * dd + q] = x[i * d + keep.get(q)];
        }
      }
      return new Table(name, n, dd, out, label);
    }
  }

  /** Reads {@code data/NAME.csv} from the class path. */
  static Table load(String name) {
    String resource = "data/" + name + ".csv";
    try (InputStream in = RealData.class.getResourceAsStream(resource)) {
      if (in == null) { // the jar was built without its resources: a build defect, not bad input
        throw new IllegalStateException(resource + " is missing from the class path of twolayer-experiments");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String[] header = reader.readLine().split(",");
      int d = 0;
      while (d < header.length && header[d].equals("x" + d)) {
        d++;
      }
      boolean labelled = d < header.length;
      List<double[]> rows = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        double[] row = new double[d];
        for (int p = 0; p < d; p++) {
          row[p] = Double.parseDouble(cells[p]);
        }
        rows.add(row);
        if (labelled) {
          labels.add((int) Double.parseDouble(cells[d]));
        }
      }
      int n = rows.size();
      double[] x = new double[n * d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(rows.get(i), 0, x, i * d, d);
      }
      return new Table(name, n, d, x, labelled ? labels.stream().mapToInt(Integer::intValue).toArray() : null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
    }
  }

  /** Each column's mean over the n rows. */
  static double[] means(double[] x, int n, int d) {
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < d; p++) {
        mean[p] += x[i * d + p];
      }
    }
    for (int p = 0; p < d; p++) {
      mean[p] /= n;
    }
    return mean;
  }

  /** The rows minus their column means (a copy). */
  static double[] centered(double[] x, int n, int d) {
    double[] mean = means(x, n, d);
    double[] out = x.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] -= mean[i % d];
    }
    return out;
  }

  /** The rows with every column centered and scaled to unit variance (a copy; columns must vary). */
  static double[] standardized(double[] x, int n, int d) {
    double[] out = centered(x, n, d);
    double[] var = new double[d];
    for (int i = 0; i < out.length; i++) {
      var[i % d] += out[i] * out[i] / n;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= Math.sqrt(var[i % d]);
    }
    return out;
  }

  /** E[xxᵀ] of the rows (d×d): the covariance of their symmetrized law once they are centered. */
  static double[] secondMoment(double[] x, int n, int d) {
    double[] s = new double[d * d];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < d; p++) {
        double v = x[i * d + p] / n;
        for (int q = 0; q < d; q++) {
          s[p * d + q] += v * x[i * d + q];
        }
      }
    }
    return s;
  }
}
