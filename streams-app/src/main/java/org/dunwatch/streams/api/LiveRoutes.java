package org.dunwatch.streams.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.schemas.AlertJson;
import org.dunwatch.streams.http.HttpRoutes;

/**
 * What the console needs beyond the query API, with the same tokens and the same rule of who may
 * read what ({@link ApiTokens}, {@link Principal}):
 *
 * <ul>
 *   <li>{@code GET /api/v1/me}: the role of the token, and its lender for a lender's, so the
 *       console offers only the views the role may open;
 *   <li>{@code GET /api/v1/alerts/stream}: server-sent events, one {@code alert} event (the
 *       contract's alert JSON) for the latest revision of each incident held by the {@link
 *       AlertFeed}, then one for every new revision as it is read. A lender's token gets only the
 *       incidents that name it as lender or as subject.
 * </ul>
 */
public final class LiveRoutes implements HttpRoutes, AutoCloseable {

  public static final String ME = ApiRoutes.BASE + "/me";
  public static final String STREAM = ApiRoutes.BASE + "/alerts/stream";

  private static final String PRINCIPAL = "dunwatch.principal";

  private final ApiTokens tokens;
  private final AlertFeed feed;
  private final ScheduledExecutorService keepAlive =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dunwatch-sse-keepalive");
            t.setDaemon(true);
            return t;
          });

  public LiveRoutes(ApiTokens tokens, AlertFeed feed) {
    this.tokens = tokens;
    this.feed = feed;
  }

  @Override
  public void addTo(Javalin app) {
    app.before(ME, this::authenticate);
    app.before(STREAM, this::authenticate);
    app.get(
        ME,
        ctx -> {
          Principal p = ctx.attribute(PRINCIPAL);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("role", p.role().name());
          body.put("lender_id", p.lenderId());
          ctx.json(body);
        });
    app.sse(STREAM, this::stream);
  }

  private void authenticate(Context ctx) {
    Optional<Principal> p = tokens.authenticate(ctx.header("Authorization"));
    if (p.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer");
      ctx.status(401)
          .json(
              Map.of(
                  "error",
                  "unknown or missing token: send Authorization: Bearer <token>",
                  "status",
                  401));
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(PRINCIPAL, p.get());
  }

  private void stream(SseClient client) {
    Principal p = client.ctx().attribute(PRINCIPAL);
    client.ctx().header("Cache-Control", "no-cache");
    client.keepAlive();
    Object lock = new Object();
    AutoCloseable subscription =
        feed.subscribe(
            a -> {
              if (client.terminated()) {
                throw new IllegalStateException("the browser went away");
              }
              if (maySee(p, a)) {
                synchronized (lock) {
                  client.sendEvent("alert", AlertJson.toJson(a));
                }
              }
            });
    // a comment now and then finds a browser that left without closing the connection
    var ping =
        keepAlive.scheduleAtFixedRate(
            () -> {
              synchronized (lock) {
                client.sendComment("keep-alive");
              }
            },
            15,
            15,
            TimeUnit.SECONDS);
    client.onClose(
        () -> {
          ping.cancel(false);
          try {
            subscription.close();
          } catch (Exception e) {
            // removing a subscriber does not fail
          }
        });
  }

  /** The query API's rule for incidents, on an alert: a lender sees what names it. */
  static boolean maySee(Principal p, Alert a) {
    if (p.role() != Role.LENDER) {
      return true;
    }
    return p.lenderId().equals(a.getLenderId())
        || (a.getSubject().getKind() == SubjectKind.LENDER
            && p.lenderId().equals(a.getSubject().getId()));
  }

  @Override
  public void close() {
    keepAlive.shutdownNow();
    feed.close();
  }
}
