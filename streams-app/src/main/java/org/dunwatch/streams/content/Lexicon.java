package org.dunwatch.streams.content;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Words and patterns per {@link Cue}, read from resource files so that a new phrase or a new
 * language needs no code.
 *
 * <p>Layout: an index ({@code index.txt}) with one {@code <cue> <file>} a line, file paths relative
 * to the index; each file has one Java regular expression a line, matched case-insensitively
 * anywhere in the message; {@code #} starts a comment line, blank lines are ignored. The built-in
 * lexicon is {@code lexicons/index.txt} on the classpath; {@link #withDirectory(Path)} adds a
 * directory of the same layout.
 */
public final class Lexicon {

  public static final String BUILT_IN_INDEX = "lexicons/index.txt";

  private static final int FLAGS =
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

  private final Map<Cue, List<Pattern>> patterns;

  /**
   * Per cue, all its patterns as one alternation: a message none of them matches (most messages)
   * costs one scan instead of one per pattern. Only a prefilter: the phrases quoted still come from
   * each pattern on its own, so what {@link #find} returns is unchanged. Absent for a cue with a
   * pattern that cannot be combined safely (inline flags, back references).
   */
  private final Map<Cue, Pattern> anyOf;

  /** Every combinable cue's patterns as one alternation; null when some cue has none. */
  private final Pattern anyCue;

  private Lexicon(Map<Cue, List<Pattern>> patterns) {
    this.patterns = patterns;
    Map<Cue, Pattern> any = new EnumMap<>(Cue.class);
    patterns.forEach(
        (cue, list) -> {
          Pattern combined = combine(list);
          if (combined != null) {
            any.put(cue, combined);
          }
        });
    this.anyOf = Collections.unmodifiableMap(any);
    this.anyCue =
        any.size() == patterns.size()
            ? combine(patterns.values().stream().flatMap(List::stream).toList())
            : null;
  }

  private static Pattern combine(List<Pattern> list) {
    if (list.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (Pattern p : list) {
      String re = p.pattern();
      if (INLINE_FLAGS.matcher(re).find() || BACK_REFERENCE.matcher(re).find()) {
        return null;
      }
      b.append(b.length() == 0 ? "" : "|").append("(?:").append(re).append(')');
    }
    try {
      return Pattern.compile(b.toString(), FLAGS);
    } catch (PatternSyntaxException e) {
      return null; // e.g. the same group name in two patterns: each still works on its own
    }
  }

  private static final Pattern INLINE_FLAGS = Pattern.compile("\\(\\?[a-zA-Z-]|\\\\Q");
  private static final Pattern BACK_REFERENCE = Pattern.compile("\\\\([1-9]|k<)");

  /** The lexicon shipped with dunwatch (Chinese and English). */
  public static Lexicon builtIn() {
    Map<Cue, List<Pattern>> map = new EnumMap<>(Cue.class);
    readIndex(
        BUILT_IN_INDEX,
        open(BUILT_IN_INDEX),
        file -> open(BUILT_IN_INDEX.substring(0, BUILT_IN_INDEX.lastIndexOf('/') + 1) + file),
        map);
    return new Lexicon(freeze(map));
  }

  /** This lexicon plus the one in {@code dir} ({@code dir/index.txt} and its files). */
  public Lexicon withDirectory(Path dir) {
    Map<Cue, List<Pattern>> map = new EnumMap<>(Cue.class);
    patterns.forEach((cue, list) -> map.put(cue, new ArrayList<>(list)));
    Path index = dir.resolve("index.txt");
    readIndex(index.toString(), openFile(index), file -> openFile(dir.resolve(file)), map);
    return new Lexicon(freeze(map));
  }

  /** How many patterns a cue has. */
  public int size(Cue cue) {
    return patterns.getOrDefault(cue, List.of()).size();
  }

  /** Whether any pattern of {@code cue} occurs in {@code text}. */
  public boolean matches(Cue cue, String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    Pattern any = anyOf.get(cue);
    if (any != null) {
      return any.matcher(text).find();
    }
    for (Pattern p : patterns.getOrDefault(cue, List.of())) {
      if (p.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The phrases of {@code text} each cue matched, in order of first appearance, without repeats.
   * Cues with no match are absent.
   */
  public Map<Cue, List<String>> find(String text) {
    Map<Cue, List<String>> found = new EnumMap<>(Cue.class);
    if (text == null || text.isBlank()) {
      return found;
    }
    if (anyCue != null && !anyCue.matcher(text).find()) {
      return found;
    }
    for (Map.Entry<Cue, List<Pattern>> e : patterns.entrySet()) {
      Pattern any = anyOf.get(e.getKey());
      if (any != null && !any.matcher(text).find()) {
        continue;
      }
      List<int[]> spans = new ArrayList<>();
      for (Pattern p : e.getValue()) {
        Matcher m = p.matcher(text);
        while (m.find()) {
          if (m.end() > m.start()) {
            spans.add(new int[] {m.start(), m.end()});
          }
        }
      }
      if (!spans.isEmpty()) {
        spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : b[1] - a[1]);
        Set<String> phrases = new LinkedHashSet<>();
        int coveredTo = -1;
        for (int[] s : spans) {
          // a phrase inside one already quoted adds nothing ("逾期" inside "严重逾期2187.00元")
          if (s[1] <= coveredTo) {
            continue;
          }
          phrases.add(text.substring(s[0], s[1]).strip());
          coveredTo = Math.max(coveredTo, s[1]);
        }
        found.put(e.getKey(), List.copyOf(phrases));
      }
    }
    return found;
  }

  private interface Opener {
    InputStream open(String file) throws IOException;
  }

  private static void readIndex(
      String indexName, InputStream index, Opener opener, Map<Cue, List<Pattern>> into) {
    List<String[]> entries = new ArrayList<>();
    readLines(
        indexName,
        index,
        (line, no) -> {
          String[] parts = line.split("\\s+");
          if (parts.length != 2) {
            throw new IllegalArgumentException(
                indexName + " line " + no + ": expected \"<category> <file>\", got: " + line);
          }
          entries.add(new String[] {parts[0], parts[1], String.valueOf(no)});
        });
    for (String[] entry : entries) {
      Cue cue;
      try {
        cue = Cue.parse(entry[0]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(indexName + " line " + entry[2] + ": " + e.getMessage());
      }
      String file = entry[1];
      InputStream in;
      try {
        in = opener.open(file);
      } catch (IOException e) {
        throw new UncheckedIOException("lexicon file " + file + " cannot be read", e);
      }
      List<Pattern> list = into.computeIfAbsent(cue, c -> new ArrayList<>());
      readLines(
          file,
          in,
          (line, no) -> {
            try {
              list.add(Pattern.compile(line, FLAGS));
            } catch (PatternSyntaxException e) {
              throw new IllegalArgumentException(
                  "lexicon " + file + " line " + no + ": bad pattern: " + e.getDescription());
            }
          });
    }
  }

  private interface LineHandler {
    void line(String line, int number);
  }

  private static void readLines(String name, InputStream in, LineHandler handler) {
    if (in == null) {
      throw new IllegalArgumentException("lexicon file " + name + " is missing");
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        handler.line(t, no);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lexicon file " + name, e);
    }
  }

  private static InputStream open(String resource) {
    return Lexicon.class.getClassLoader().getResourceAsStream(resource);
  }

  private static InputStream openFile(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("lexicon file " + file + " cannot be read", e);
    }
  }

  private static Map<Cue, List<Pattern>> freeze(Map<Cue, List<Pattern>> map) {
    Map<Cue, List<Pattern>> out = new EnumMap<>(Cue.class);
    map.forEach((cue, list) -> out.put(cue, Collections.unmodifiableList(new ArrayList<>(list))));
    return Collections.unmodifiableMap(out);
  }
}
