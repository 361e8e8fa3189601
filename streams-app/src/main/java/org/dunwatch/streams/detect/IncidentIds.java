package org.dunwatch.streams.detect;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.dunwatch.avro.alert.AlertType;

/**
 * Alert ids derived from what defines an incident, never from a clock or a random source, so that
 * reprocessing the same input (a reset, a replay, a restored changelog) gives the same ids and
 * consumers can de-duplicate on them.
 */
public final class IncidentIds {

  private IncidentIds() {}

  /** A name-based (version 3) UUID of {@code TYPE|victim|start epoch ms}. */
  public static String alertId(AlertType type, String victim, long incidentStartMs) {
    String name = type.name() + "|" + victim + "|" + incidentStartMs;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
