package org.dunwatch.cli;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.dunwatch.streams.api.AlertFeed;
import org.dunwatch.streams.api.ApiRoutes;
import org.dunwatch.streams.api.ApiTokens;
import org.dunwatch.streams.api.CircleRoutes;
import org.dunwatch.streams.api.ConsoleRoutes;
import org.dunwatch.streams.api.InstanceStores;
import org.dunwatch.streams.api.KafkaStreamsStores;
import org.dunwatch.streams.api.LiveRoutes;
import org.dunwatch.streams.rules.Rules;

/**
 * The HTTP server of {@code run} and {@code demo}, serving the query API until the issue-20 server
 * (metrics, health) takes the routes over. Started before the streams, so that the port is known
 * for {@code application.server}; the API answers 503 until the streams are attached.
 */
final class ApiServer implements AutoCloseable {

  /** Incidents the console's live table holds (the latest revision of each). */
  static final int CONSOLE_INCIDENTS = 10_000;

  private final Javalin app;
  private final HostInfo self;
  private final AtomicReference<InstanceStores> stores;
  private final LiveRoutes live;
  private final AlertFeed alerts;

  private ApiServer(
      Javalin app,
      HostInfo self,
      AtomicReference<InstanceStores> stores,
      LiveRoutes live,
      AlertFeed alerts) {
    this.app = app;
    this.self = self;
    this.stores = stores;
    this.live = live;
    this.alerts = alerts;
  }

  static ApiServer start(String bind, int port, Path tokensFile, Rules rules) {
    ApiTokens tokens;
    try {
      tokens = ApiTokens.load(tokensFile);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    AtomicReference<InstanceStores> ref = new AtomicReference<>();
    Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
    new ApiRoutes(new Deferred(ref), tokens, rules).addTo(app);
    AlertFeed alerts = new AlertFeed(CONSOLE_INCIDENTS);
    LiveRoutes live = new LiveRoutes(tokens, alerts);
    live.addTo(app);
    new CircleRoutes(new Deferred(ref), tokens).addTo(app);
    new ConsoleRoutes().addTo(app);
    try {
      app.start(bind, port);
    } catch (RuntimeException e) {
      throw new UserError("cannot serve HTTP on " + bind + ":" + port + ": " + e.getMessage(), e);
    }
    return new ApiServer(app, new HostInfo(bind, app.port()), ref, live, alerts);
  }

  /** {@code application.server}: where the other instances reach this one. */
  Map<String, String> streamsSettings() {
    return Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
  }

  void attach(KafkaStreams streams) {
    stores.set(new KafkaStreamsStores(streams, self));
  }

  /** The console's live table reads the cluster's alerts topic from here on. */
  void readAlerts(Cluster cluster) {
    Map<String, Object> props = new HashMap<>(cluster.clientProperties());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    alerts.start(props, cluster.topics().alerts());
  }

  /** The analyst console, served at the root of the same port. */
  String consoleUrl() {
    return "http://" + self.host() + ":" + self.port() + "/";
  }

  String baseUrl() {
    return "http://" + self.host() + ":" + self.port() + ApiRoutes.BASE;
  }

  @Override
  public void close() {
    app.stop();
    live.close();
  }

  /** Writes a tokens file for the three roles (the demo's), readable by its owner only. */
  static Path writeDemoTokens(Path file, List<String> lenders) throws IOException {
    SecureRandom random = new SecureRandom();
    StringBuilder json = new StringBuilder("[\n");
    json.append(entry(random, "TELECOM", null)).append(",\n");
    json.append(entry(random, "REGULATOR", null));
    for (String lender : lenders) {
      json.append(",\n").append(entry(random, "LENDER", lender));
    }
    json.append("\n]\n");
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, json);
    return file;
  }

  private static String entry(SecureRandom random, String role, String lender) {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return "  {\"token\": \""
        + HexFormat.of().formatHex(b)
        + "\", \"role\": \""
        + role
        + "\""
        + (lender == null ? "" : ", \"lender_id\": \"" + lender + "\"")
        + "}";
  }

  /** The streams' stores once attached; 503 before. */
  private record Deferred(AtomicReference<InstanceStores> ref) implements InstanceStores {
    private InstanceStores get() {
      InstanceStores s = ref.get();
      if (s == null) {
        throw new org.apache.kafka.streams.errors.InvalidStateStoreException(
            "the streams are not started yet");
      }
      return s;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> local(String store) {
      return get().local(store);
    }

    @Override
    public Optional<HostInfo> ownerOf(
        String store, String key, StreamPartitioner<String, ?> partitioner) {
      return get().ownerOf(store, key, partitioner);
    }

    @Override
    public List<HostInfo> others(String store) {
      return get().others(store);
    }
  }
}
