package org.dunwatch.streams.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.streams.behaviour.FanOutDetector;
import org.dunwatch.streams.feeds.IncidentLog;
import org.dunwatch.streams.http.HttpRoutes;
import org.dunwatch.streams.state.FanOutState;
import org.dunwatch.streams.state.IncidentHistory;
import org.dunwatch.streams.state.ReachedPerson;
import org.dunwatch.streams.state.SourceSpread;

/**
 * {@code GET /api/v1/incidents/{alert_id}/circle}: for a {@code CONTACT_FAN_OUT} incident, the
 * borrower's circle as the fan-out detector holds it now: the collection source, every person it
 * reached with the time of first contact and the event behind it, and which of them are declared
 * contacts. The console draws its graph and the incident's timeline from it. Same tokens and the
 * same rule of who may read an incident as the query API.
 */
public final class CircleRoutes implements HttpRoutes {

  private static final Pattern ALERT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ApiTokens tokens;
  private final StoreClient stores;

  public CircleRoutes(InstanceStores stores, ApiTokens tokens) {
    this.tokens = tokens;
    this.stores =
        new StoreClient(
            stores,
            Map.of(
                IncidentLog.STORE, IncidentHistory.class,
                FanOutDetector.STORE, FanOutState.class),
            tokens.internalToken());
  }

  @Override
  public void addTo(Javalin app) {
    app.get(ApiRoutes.BASE + "/incidents/{alert_id}/circle", this::circle);
  }

  private void circle(Context ctx) {
    Optional<Principal> p = tokens.authenticate(ctx.header("Authorization"));
    if (p.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer");
      error(ctx, 401, "unknown or missing token: send Authorization: Bearer <token>");
      return;
    }
    String id = ctx.pathParam("alert_id");
    if (!ALERT_ID.matcher(id).matches()) {
      error(ctx, 400, "malformed alert id");
      return;
    }
    try {
      Optional<IncidentHistory> h = stores.get(IncidentLog.STORE, id, null);
      if (h.isEmpty()) {
        error(ctx, 404, "no incident " + id);
        return;
      }
      List<Alert> revisions = IncidentLog.revisions(h.get());
      Alert latest = revisions.get(revisions.size() - 1);
      if (!LiveRoutes.maySee(p.get(), latest)) {
        error(ctx, 403, "this incident is not about your lender");
        return;
      }
      if (latest.getType() != AlertType.CONTACT_FAN_OUT) {
        error(ctx, 404, "only a CONTACT_FAN_OUT incident has a circle");
        return;
      }
      Optional<FanOutState> state = stores.get(FanOutDetector.STORE, latest.getVictim(), null);
      SourceSpread spread =
          state
              .flatMap(
                  s -> s.getSources().stream().filter(x -> id.equals(x.getAlertId())).findFirst())
              .orElse(null);
      if (spread == null) {
        // the window has passed and the detector has let the circle go; the alert remains
        error(ctx, 404, "the detector no longer holds this incident's circle");
        return;
      }
      ctx.json(body(latest, spread));
    } catch (InvalidStateStoreException e) {
      error(ctx, 503, "the app's state is not queryable right now (rebalancing); try again");
    }
  }

  static Map<String, Object> body(Alert latest, SourceSpread spread) {
    String source = spread.getSource();
    int colon = source.indexOf(':');
    List<Map<String, Object>> reached = new ArrayList<>();
    for (ReachedPerson r : spread.getReached()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", r.getNumber());
      m.put("first_time", java.time.Instant.ofEpochMilli(r.getFirstTime()).toString());
      m.put("event_id", r.getEventId());
      m.put("declared", r.getDeclared());
      reached.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alert_id", latest.getAlertId());
    body.put("borrower", latest.getVictim());
    body.put("source_kind", colon < 0 ? null : source.substring(0, colon).toUpperCase());
    body.put("source", colon < 0 ? source : source.substring(colon + 1));
    body.put("lender_id", spread.getLenderId());
    body.put("agency_id", spread.getAgencyId());
    body.put("reached", reached);
    return body;
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).json(Map.of("error", message, "status", status));
  }
}
