package org.dunwatch.streams.http;

import io.javalin.Javalin;

/** A set of HTTP routes mounted on dunwatch's one HTTP port (metrics, health, API, console). */
@FunctionalInterface
public interface HttpRoutes {
  void addTo(Javalin app);
}
