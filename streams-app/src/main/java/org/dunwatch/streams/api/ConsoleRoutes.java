package org.dunwatch.streams.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.dunwatch.streams.http.HttpRoutes;

/**
 * The analyst console on the app's HTTP port: {@code /} is the page, {@code /console/*} its
 * modules, styles and chart library. Nothing here needs a token: the page holds no data, and every
 * figure it shows comes from the query API, which checks the token on each request.
 */
public final class ConsoleRoutes implements HttpRoutes {

  private final ConsoleAssets assets;

  public ConsoleRoutes() {
    this(new ConsoleAssets());
  }

  ConsoleRoutes(ConsoleAssets assets) {
    this.assets = assets;
  }

  @Override
  public void addTo(Javalin app) {
    app.get("/", ctx -> send(ctx, assets.index()));
    app.get(
        "/console/<path>",
        ctx ->
            assets
                .find(ctx.pathParam("path"))
                .ifPresentOrElse(
                    a -> send(ctx, a),
                    () -> ctx.status(404).json(java.util.Map.of("error", "no such file"))));
  }

  private static void send(Context ctx, ConsoleAssets.Asset a) {
    // the page and its modules change with the jar only; revalidate rather than cache blindly
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    ctx.contentType(a.contentType()).result(a.body());
  }
}
