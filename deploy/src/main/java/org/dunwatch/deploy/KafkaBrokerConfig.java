package org.dunwatch.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files a single-node KRaft broker is started from. */
final class KafkaBrokerConfig {
  static final int NODE_ID = 1;

  private KafkaBrokerConfig() {}

  /**
   * {@code server.properties} for one node that is both broker and controller on loopback.
   * Replication factors are 1 because there is one node; internal topics get one partition because
   * fifty empty ones only slow down the first consumer group on a laptop. {@code overrides} win.
   */
  static Map<String, String> serverProperties(
      Path logDirs, int port, int controllerPort, Map<String, String> overrides) {
    String broker = "PLAINTEXT://" + FreePorts.LOOPBACK + ":" + port;
    String controller = "CONTROLLER://" + FreePorts.LOOPBACK + ":" + controllerPort;
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // A dynamic quorum (bootstrap servers, not voters) is what "format --standalone" sets up.
    p.put("controller.quorum.bootstrap.servers", FreePorts.LOOPBACK + ":" + controllerPort);
    p.put("listeners", broker + "," + controller);
    p.put("advertised.listeners", broker + "," + controller);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDirs.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created on purpose (createTopics); a typo must fail, not make a new topic.
    p.put("auto.create.topics.enable", "false");
    p.putAll(overrides);
    return p;
  }

  /**
   * {@code server.properties} for node {@code nodeId} of a cluster whose nodes are all broker and
   * controller, with a static quorum of {@code voters} ({@code id@host:port,...}): what an operator
   * runs, so replication factor 3 and {@code min.insync.replicas} 2 for every topic, internal ones
   * too (offsets, transactions, and the Streams topics that take the default).
   */
  static Map<String, String> clusterNodeProperties(
      Path logDirs, int nodeId, int port, int controllerPort, String voters, int replicas) {
    Map<String, String> p = serverProperties(logDirs, port, controllerPort, Map.of());
    p.remove("controller.quorum.bootstrap.servers");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", voters);
    String rf = Integer.toString(replicas);
    String minIsr = Integer.toString(Math.max(1, replicas - 1));
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", rf);
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    // Raft and broker liveness timeouts 5x the defaults: on a shared 2-core machine controller
    // events took over 3 s, the quorum re-elected again and again at the default 1 s election
    // timeout and three nodes were not up within 240 s. A real cluster keeps the defaults.
    p.put("controller.quorum.election.timeout.ms", "5000");
    p.put("controller.quorum.fetch.timeout.ms", "10000");
    p.put("broker.session.timeout.ms", "30000");
    // a node back from a crash is made leader of its partitions again, as on a real cluster
    p.put("auto.leader.rebalance.enable", "true");
    p.put("leader.imbalance.check.interval.seconds", "10");
    return p;
  }

  /** Properties-file text; only backslashes need escaping in the values used here (paths). */
  static String render(Map<String, String> properties) {
    StringBuilder text =
        new StringBuilder("# written by dunwatch-deploy; rewritten on every start\n");
    properties.forEach(
        (key, value) ->
            text.append(escape(key)).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    return text.toString();
  }

  private static String escape(String key) {
    return key.replace("\\", "\\\\").replace("=", "\\=").replace(":", "\\:").replace(" ", "\\ ");
  }

  /**
   * log4j2 configuration for the child: INFO to stdout, which is redirected to the broker log. The
   * per-request and state-change loggers stay at WARN; at INFO they drown what explains a failure.
   */
  static String log4j2Properties() {
    return String.join(
        "\n",
        "status = warn",
        "appender.out.type = Console",
        "appender.out.name = OUT",
        "appender.out.target = SYSTEM_OUT",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d{ISO8601}] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.out.ref = OUT",
        "logger.request.name = kafka.request.logger",
        "logger.request.level = WARN",
        "logger.state.name = state.change.logger",
        "logger.state.level = WARN",
        "");
  }
}
