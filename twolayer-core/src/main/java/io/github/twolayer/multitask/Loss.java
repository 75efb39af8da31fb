package io.github.twolayer.multitask;

/** Margin losses ℓ(z), z = y·f(x), with their derivatives (docs/collins-method.md). */
public enum Loss {
  /** log(1 + e^{−z}). */
  LOGISTIC {
    @Override
    public double value(double z) {
      return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
    }

    @Override
    public double derivative(double z) {
      return z > 0 ? -Math.exp(-z) / (1 + Math.exp(-z)) : -1 / (1 + Math.exp(z));
    }
  },
  /** max(0, 1 − z). */
  HINGE {
    @Override
    public double value(double z) {
      return Math.max(0, 1 - z);
    }

    @Override
    public double derivative(double z) {
      return z < 1 ? -1 : 0;
    }
  },
  /** −z: makes the pseudo-contrastive identity exact. */
  LINEAR {
    @Override
    public double value(double z) {
      return -z;
    }

    @Override
    public double derivative(double z) {
      return -1;
    }
  };

  public abstract double value(double z);

  public abstract double derivative(double z);

  public static Loss of(String name) {
    return switch (name) {
      case "logistic" -> LOGISTIC;
      case "hinge" -> HINGE;
      case "linear" -> LINEAR;
      default -> throw new IllegalArgumentException("unknown loss '" + name + "': use logistic, hinge or linear");
    };
  }
}
