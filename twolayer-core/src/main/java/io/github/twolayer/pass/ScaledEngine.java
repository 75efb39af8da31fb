package io.github.twolayer.pass;

import io.github.twolayer.data.RowBlock;
import io.github.twolayer.linalg.ColumnScales;

/**
 * An engine whose passes see every sample with its columns multiplied by fixed scales (x ⊙ sx,
 * y ⊙ sy): how an algorithm runs in standardized units on any engine, this machine's cores or a
 * cluster, without a scaled copy of the data. Each accumulator is wrapped in {@link Scaled}, which
 * scales a block into its own scratch before passing it on.
 */
public final class ScaledEngine implements Engine {
  private final Engine inner;
  private final double[] sx;
  private final double[] sy;

  public ScaledEngine(Engine inner, double[] sx, double[] sy) {
    if (sx.length != inner.d() || sy.length != inner.l()) {
      throw new IllegalArgumentException("scales for " + sx.length + " + " + sy.length + " columns, the data have "
          + inner.d() + " + " + inner.l());
    }
    this.inner = inner;
    this.sx = sx.clone();
    this.sy = sy.clone();
  }

  @Override
  public int d() {
    return inner.d();
  }

  @Override
  public int l() {
    return inner.l();
  }

  @Override
  public long n() {
    return inner.n();
  }

  @Override
  public String description() {
    return inner.description();
  }

  @Override
  public <A extends Accumulator<A>> A aggregate(A zero, String phase) {
    return inner.aggregate(new Scaled<>(zero, sx, sy), phase).inner;
  }

  @Override
  public void close() {
    inner.close();
  }

  /** An accumulator that receives every block with its columns multiplied by the scales. */
  public static final class Scaled<A extends Accumulator<A>> implements Accumulator<Scaled<A>> {
    private static final long serialVersionUID = 1L;
    public final A inner;
    private final double[] sx;
    private final double[] sy;
    private transient double[] bx;
    private transient double[] by;

    public Scaled(A inner, double[] sx, double[] sy) {
      this.inner = inner;
      this.sx = sx;
      this.sy = sy;
    }

    @Override
    public void accept(RowBlock b) {
      int d = sx.length;
      int l = sy.length;
      int rows = b.rows();
      if (bx == null || bx.length < rows * d || by.length < rows * l) {
        bx = new double[rows * d];
        by = new double[rows * l];
      }
      ColumnScales.scaleColumns(b.x(), b.xOffset(), rows, sx, bx);
      ColumnScales.scaleColumns(b.y(), b.yOffset(), rows, sy, by);
      inner.accept(new RowBlock(b.firstRow(), rows, bx, 0, by, 0));
    }

    @Override
    public void combine(Scaled<A> other) {
      inner.combine(other.inner);
    }

    @Override
    public Scaled<A> empty() {
      return new Scaled<>(inner.empty(), sx, sy);
    }

    @Override
    public long count() {
      return inner.count();
    }
  }
}
