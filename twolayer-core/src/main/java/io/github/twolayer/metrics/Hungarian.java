package io.github.twolayer.metrics;

import java.util.Arrays;

/**
 * Minimum-cost perfect matching on a square cost matrix (Kuhn–Munkres with potentials, O(k³)).
 */
public final class Hungarian {
  private Hungarian() {}

  /** {@code assignment[i]} = the column matched to row i, minimizing Σ cost[i][assignment[i]]. */
  public static int[] solve(double[][] cost) {
    int n = cost.length;
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] p = new int[n + 1];   // p[j] = row matched to column j (1-based), 0 = none
    int[] way = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      if (cost[i - 1].length != n) {
        throw new IllegalArgumentException("cost matrix must be square: row " + (i - 1) + " has "
            + cost[i - 1].length + " entries, expected " + n);
      }
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[n + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[n + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] assignment = new int[n];
    for (int j = 1; j <= n; j++) {
      assignment[p[j] - 1] = j - 1;
    }
    return assignment;
  }
}
