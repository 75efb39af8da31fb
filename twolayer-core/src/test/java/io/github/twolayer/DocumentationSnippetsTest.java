package io.github.twolayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java block of the README and of docs/ is a whole program a reader can paste: it is compiled
 * against the library and run here, so a snippet that stops compiling, or throws, fails the build.
 */
class DocumentationSnippetsTest {

  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("public class (\\w+)");

  /** The repository's root: the tests run in twolayer-core. */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("README.md")) && Files.isDirectory(here.resolve("docs")) ? here
        : here.getParent();
  }

  record Snippet(String file, int index, String source) {
    String className() {
      Matcher m = CLASS.matcher(source);
      return m.find() ? m.group(1) : null;
    }

    @Override
    public String toString() {
      return file + " #" + index + " (" + className() + ")";
    }
  }

  static List<Snippet> snippets() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root().resolve("README.md"));
    try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<Snippet> all = new ArrayList<>();
    for (Path page : pages) {
      Matcher m = BLOCK.matcher(Files.readString(page));
      int i = 0;
      while (m.find()) {
        all.add(new Snippet(root().relativize(page).toString(), ++i, m.group(1)));
      }
    }
    return all;
  }

  @Test
  void theReadmeAndEveryWorkflowPageHaveJavaSnippets() throws IOException {
    assertThat(snippets()).extracting(Snippet::file)
        .contains("README.md", "docs/recover.md", "docs/multitask.md", "docs/train.md");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snippets")
  void compilesAndRuns(Snippet snippet, @TempDir Path tmp) throws Exception {
    String name = snippet.className();
    assertThat(name).as("a snippet is a whole program: 'public class Name' with main").isNotNull();
    Path source = tmp.resolve(name + ".java");
    Files.writeString(source, snippet.source());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjects(source);
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      boolean ok = javac.getTask(messages, files, null,
          List.of("-classpath", classPath, "-d", tmp.toString(), "-Xlint:none"), null, units).call();
      assertThat(ok).as("%s does not compile:%n%s", snippet, messages).isTrue();
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      Method main = loader.loadClass(name).getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(out);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).as("%s prints its result", snippet).isNotBlank();
  }
}
