package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {

  private static Properties parse(String text) throws Exception {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }

  @Test
  void shouldDescribeOneCombinedNodeListeningOnlyOnLoopback() throws Exception {
    Properties p =
        parse(
            KafkaBrokerConfig.render(
                KafkaBrokerConfig.serverProperties(
                    Path.of("/data/kafka-data"), 9092, 9093, Map.of())));

    assertEquals("broker,controller", p.getProperty("process.roles"));
    assertEquals("1", p.getProperty("node.id"));
    assertEquals("127.0.0.1:9093", p.getProperty("controller.quorum.bootstrap.servers"));
    assertFalse(p.containsKey("controller.quorum.voters"), "--standalone refuses static voters");
    assertEquals(
        "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", p.getProperty("listeners"));
    assertEquals(
        "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
        p.getProperty("advertised.listeners"));
    assertEquals("CONTROLLER", p.getProperty("controller.listener.names"));
    assertEquals(
        Path.of("/data/kafka-data").toAbsolutePath().toString(), p.getProperty("log.dirs"));
  }

  @Test
  void shouldSizeInternalTopicsForASingleNode() throws Exception {
    Properties p =
        parse(
            KafkaBrokerConfig.render(
                KafkaBrokerConfig.serverProperties(Path.of("d"), 1, 2, Map.of())));

    assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
    assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
    assertEquals("1", p.getProperty("num.partitions"));
    assertEquals("false", p.getProperty("auto.create.topics.enable"));
  }

  @Test
  void shouldLetOverridesReplaceAndAddProperties() throws Exception {
    Properties p =
        parse(
            KafkaBrokerConfig.render(
                KafkaBrokerConfig.serverProperties(
                    Path.of("d"),
                    1,
                    2,
                    Map.of("num.partitions", "6", "log.retention.ms", "60000"))));

    assertEquals("6", p.getProperty("num.partitions"));
    assertEquals("60000", p.getProperty("log.retention.ms"));
  }

  @Test
  void shouldKeepBackslashesInPathsWhenTheFileIsRead() throws Exception {
    String rendered = KafkaBrokerConfig.render(Map.of("log.dirs", "C:\\kafka\\data"));

    assertEquals("C:\\kafka\\data", parse(rendered).getProperty("log.dirs"));
  }

  @Test
  void shouldLogAtInfoToStdoutWhichIsTheBrokerLog() throws Exception {
    Properties p = parse(KafkaBrokerConfig.log4j2Properties());

    assertEquals("INFO", p.getProperty("rootLogger.level"));
    assertEquals("SYSTEM_OUT", p.getProperty("appender.out.target"));
    assertTrue(p.getProperty("appender.out.layout.pattern").contains("%m"));
  }
}
