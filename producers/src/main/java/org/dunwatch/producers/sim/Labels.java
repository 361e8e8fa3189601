package org.dunwatch.producers.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.producers.sim.Label.LabelSubject;

/** Reads and writes {@code labels.jsonl}: one {@link Label} a line, fields in a fixed order. */
public final class Labels {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Labels() {}

  public static String toJson(Label l) {
    ObjectNode o = JSON.createObjectNode();
    o.put("label_id", l.id());
    o.put("kind", l.kindName());
    o.put("role", l.role() == null ? null : l.role().name());
    o.put("alert_type", l.alertType() == null ? null : l.alertType().name());
    o.put("jurisdiction", l.jurisdiction());
    o.put("victim", l.victim());
    strings(o.putArray("victims"), l.victims());
    if (l.subject() == null) {
      o.putNull("subject");
    } else {
      subject(o.putObject("subject"), l.subject());
    }
    ArrayNode subjects = o.putArray("subjects");
    l.subjects().forEach(s -> subject(subjects.addObject(), s));
    o.put("lender_id", l.lenderId());
    o.put("agency_id", l.agencyId());
    o.put("loan_id", l.loanId());
    o.put("start", l.start().toString());
    o.put("end", l.end().toString());
    strings(o.putArray("event_ids"), l.eventIds());
    strings(o.putArray("setup_event_ids"), l.setupEventIds());
    o.put("description", l.description());
    ArrayNode also = o.putArray("also_expected");
    l.alsoExpected().forEach(t -> also.add(t.name()));
    return o.toString();
  }

  public static void write(Writer out, Iterable<Label> labels) throws IOException {
    for (Label l : labels) {
      out.write(toJson(l));
      out.write('\n');
    }
  }

  public static void write(Path file, Iterable<Label> labels) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(w, labels);
    }
  }

  public static Label fromJson(String line) throws IOException {
    JsonNode o = JSON.readTree(line);
    String kind = o.path("kind").asText();
    ScenarioKind scenario = Label.ORDINARY.equals(kind) ? null : ScenarioKind.valueOf(kind);
    ActorRole role = text(o, "role") == null ? null : ActorRole.valueOf(text(o, "role"));
    AlertType type =
        text(o, "alert_type") == null ? null : AlertType.valueOf(text(o, "alert_type"));
    List<LabelSubject> subjects = new ArrayList<>();
    o.path("subjects").forEach(s -> subjects.add(subject(s)));
    return new Label(
        o.path("label_id").asText(),
        scenario,
        role,
        type,
        text(o, "jurisdiction"),
        text(o, "victim"),
        strings(o.path("victims")),
        o.path("subject").isObject() ? subject(o.path("subject")) : null,
        subjects,
        text(o, "lender_id"),
        text(o, "agency_id"),
        text(o, "loan_id"),
        Instant.parse(o.path("start").asText()),
        Instant.parse(o.path("end").asText()),
        strings(o.path("event_ids")),
        strings(o.path("setup_event_ids")),
        text(o, "description"),
        strings(o.path("also_expected")).stream().map(AlertType::valueOf).toList());
  }

  public static List<Label> read(Path file) throws IOException {
    List<Label> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(fromJson(line));
        } catch (IOException | RuntimeException e) {
          throw new IOException(file + " line " + n + ": not a label: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private static void subject(ObjectNode o, LabelSubject s) {
    o.put("kind", s.kind().name());
    o.put("id", s.id());
  }

  private static LabelSubject subject(JsonNode n) {
    return new LabelSubject(SubjectKind.valueOf(n.path("kind").asText()), n.path("id").asText());
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
