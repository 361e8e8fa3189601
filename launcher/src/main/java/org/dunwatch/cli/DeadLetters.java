package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dunwatch.avro.dlq.DeadLetter;

/**
 * The dead letters of one run, made visible where the run is: written to a file as JSON lines and
 * counted by stage and origin topic. An embedded broker and its dead-letter topic go when the run
 * ends; this file stays.
 *
 * <p>Each line has the origin (topic, partition, offset), the stage ({@code deserialize}, {@code
 * key}, {@code timestamp}, {@code late}, {@code duplicate}), the reason, the error class, when it
 * failed and the sizes of the raw key and value; the raw bytes stay on the dead-letter topic, since
 * a misconfigured producer's bytes may hold a phone number in clear.
 */
final class DeadLetters {

  /** File name used beside the alerts (or in the working directory) when none is given. */
  static final String DEFAULT_NAME = "dead-letters.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<DeadLetter> letters = new ArrayList<>();

  void add(DeadLetter letter) {
    letters.add(letter);
  }

  int size() {
    return letters.size();
  }

  /** Where dead letters go when {@code --dead-letters-out} is not given: beside the alerts. */
  static Path defaultPath(Path alertsOut) {
    if (alertsOut == null) {
      return Path.of(DEFAULT_NAME);
    }
    Path parent = alertsOut.toAbsolutePath().getParent();
    return parent == null ? Path.of(DEFAULT_NAME) : parent.resolve(DEFAULT_NAME);
  }

  static String toJson(DeadLetter d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("origin_topic", d.getOriginTopic());
    o.put("origin_partition", d.getOriginPartition());
    o.put("origin_offset", d.getOriginOffset());
    o.put("stage", d.getStage());
    o.put("error", d.getError());
    o.put("error_class", d.getErrorClass());
    o.put("failed_at", d.getFailedAt().toString());
    o.put("key_bytes", d.getKey() == null ? 0 : d.getKey().remaining());
    o.put("value_bytes", d.getValue() == null ? 0 : d.getValue().remaining());
    return o.toString();
  }

  /** Writes every dead letter as a JSON line, replacing the file; creates its folder. */
  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (DeadLetter d : letters) {
        w.write(toJson(d));
        w.newLine();
      }
    }
  }

  /** Counts by stage, then by origin topic: {@code late: 3 (telecom.calls.v1 3)}. */
  List<String> summary() {
    Map<String, Map<String, Integer>> byStage = new TreeMap<>();
    for (DeadLetter d : letters) {
      String stage = d.getStage() == null ? "unknown" : d.getStage();
      byStage
          .computeIfAbsent(stage, s -> new TreeMap<>())
          .merge(d.getOriginTopic(), 1, Integer::sum);
    }
    List<String> lines = new ArrayList<>();
    byStage.forEach(
        (stage, origins) -> {
          int total = origins.values().stream().mapToInt(Integer::intValue).sum();
          StringBuilder s = new StringBuilder(stage).append(": ").append(total).append(" (");
          origins.forEach((topic, n) -> s.append(topic).append(' ').append(n).append(", "));
          s.setLength(s.length() - 2);
          lines.add(s.append(')').toString());
        });
    return lines;
  }
}
