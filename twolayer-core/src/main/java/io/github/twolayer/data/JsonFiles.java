package io.github.twolayer.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one reader of the JSON files users hand us (models, teachers, truths): a key given twice is
 * refused instead of the last one silently winning, and NaN or Infinity (which Python's {@code json}
 * writes) are read so that the entry holding them can be named, then refused as any non-finite weight.
 */
public final class JsonFiles {
  private JsonFiles() {}

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  /** The tree of {@code file}, a {@code what} ("model file", "truth file") for the messages. */
  public static JsonNode read(Path file, String what) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + " " + file + " does not exist; check the path");
    }
    return parse(bytes, file.toString());
  }

  /** The tree of {@code bytes}, read from {@code where} (a file, or a member of one). */
  public static JsonNode parse(byte[] bytes, String where) throws IOException {
    JsonNode root;
    try {
      root = STRICT.readTree(bytes);
    } catch (JsonProcessingException e) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.startsWith("Duplicate field")) {
        String key = m.substring("Duplicate field ".length()).replaceAll("^'|'$", "");
        throw new IllegalArgumentException(where + ": the key \"" + key + "\" appears twice" + at(e)
            + "; keep one of them");
      }
      throw new IllegalArgumentException(where + " is not valid JSON (" + problem(e) + "); it may be truncated: "
          + "write it again");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(where + " holds no JSON object; it may be empty or truncated: write it "
          + "again");
    }
    return root;
  }

  /**
   * The finite number at {@code node}, or a refusal naming {@code where} and {@code entry} (e.g.
   * {@code "W"[2][3]}): a weight of ±∞ or NaN makes every output it reaches meaningless.
   */
  public static double finite(JsonNode node, String where, String entry) {
    if (node == null || !node.isNumber()) {
      throw new IllegalArgumentException(where + ": " + entry + " is not a number");
    }
    double v = node.doubleValue();
    if (!Double.isFinite(v)) {
      throw nonFinite(where, entry, v);
    }
    return v;
  }

  /** The refusal of a non-finite {@code v} at {@code entry} of {@code where}. */
  public static IllegalArgumentException nonFinite(String where, String entry, double v) {
    String what = Double.isNaN(v) ? "NaN" : "infinite (" + v + ", or a number beyond ±1.8e308)";
    return new IllegalArgumentException(where + ": " + entry + " is " + what + "; every weight must be a finite "
        + "number (a model with NaN or infinite weights comes from a training run that diverged)");
  }

  /**
   * Jackson's complaint on one line with where it stopped ("Unexpected end-of-input at line 12, column
   * 3"): its own message can quote the whole document after a line break.
   */
  public static String problem(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    // Cut where Jackson starts listing what it would have accepted, or quoting the document.
    for (String cut : new String[] {"\n", " (start marker", ": expected", ": was expecting", " at [Source"}) {
      int at = m.indexOf(cut);
      if (at > 0) {
        m = m.substring(0, at);
      }
    }
    return m.strip() + at(e);
  }

  private static String at(JsonProcessingException e) {
    var where = e.getLocation();
    return where == null || where.getLineNr() < 0 ? ""
        : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }
}
