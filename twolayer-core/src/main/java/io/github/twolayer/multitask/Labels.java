package io.github.twolayer.multitask;

import java.util.function.Function;
import java.util.function.Supplier;

/** The lookup of an option's constant by the name a user types, for the enums of this package. */
final class Labels {
  private Labels() {}

  /** The constant of {@code values} whose label is {@code name}; else a refusal with {@code unknown}'s message. */
  static <E> E byLabel(E[] values, Function<E, String> label, String name, Supplier<String> unknown) {
    for (E e : values) {
      if (label.apply(e).equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(unknown.get());
  }
}
