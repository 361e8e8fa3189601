package org.dunwatch.streams.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * dunwatch's one HTTP port: {@code GET /metrics} (Prometheus), {@code /health/live} and {@code
 * /health/ready}, and whatever other {@link HttpRoutes} are handed in (the query API, a console).
 */
public final class HttpServer implements AutoCloseable {

  public static final String METRICS = "/metrics";
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";

  /** Prometheus text format 0.0.4, which every Prometheus version scrapes. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;

  private HttpServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server on {@code host:port} (port 0: any free port, see {@link #port()}) with the
   * metrics and health routes and then {@code routes}, in order.
   */
  public static HttpServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Health health,
      List<HttpRoutes> routes) {
    List<HttpRoutes> all = new ArrayList<>();
    all.add(metrics(registry));
    all.add(health(health));
    all.addAll(routes);
    Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
    all.forEach(r -> r.addTo(app));
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException(
          "cannot serve HTTP on " + host + ":" + port + ": " + rootMessage(e), e);
    }
    return new HttpServer(app);
  }

  static HttpRoutes metrics(PrometheusMeterRegistry registry) {
    return app ->
        app.get(METRICS, ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
  }

  static HttpRoutes health(Health health) {
    return app -> {
      app.get(LIVE, ctx -> answer(ctx, health.live()));
      app.get(READY, ctx -> answer(ctx, health.ready()));
    };
  }

  private static void answer(Context ctx, Health.Status status) {
    ctx.status(status.ok() ? 200 : 503).json(status.body());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
