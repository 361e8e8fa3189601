package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.streams.http.HttpServer;
import org.junit.jupiter.api.Test;

/**
 * The deployment files are checked here, since no container engine or Kubernetes API server runs in
 * the build: images pinned, variables documented, health checks and probes on the endpoints the app
 * serves, volumes and ports that agree, and topics as {@code dunwatch topics create} makes them.
 */
class DeployFilesTest {

  static final Path DEPLOY = Path.of("../deploy");
  static final Path COMPOSE = DEPLOY.resolve("compose");
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  static final Path OPERATIONS = Path.of("../docs/operations.md");

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?][^}]*)?}");

  // ---- compose

  @Test
  void shouldPinEveryComposeImageToAVersion() throws IOException {
    JsonNode services = compose().get("services");
    List<String> unpinned = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            s -> {
              String image = interpolateDefaults(s.getValue().path("image").asText());
              Matcher tag =
                  Pattern.compile("^[^:@]+(?::([^@]+))?(@sha256:[0-9a-f]{64})?$").matcher(image);
              boolean pinned =
                  tag.matches()
                      && (tag.group(2) != null
                          || (tag.group(1) != null
                              && tag.group(1).matches(".*\\d.*")
                              && !tag.group(1).contains("latest")));
              if (!pinned) {
                unpinned.add(s.getKey() + ": " + image);
              }
            });
    assertEquals(List.of(), unpinned);
  }

  @Test
  void shouldDocumentEveryVariableTheComposeFileUses() throws IOException {
    String raw = Files.readString(COMPOSE.resolve("compose.yaml"));
    String readme = Files.readString(DEPLOY.resolve("README.md"));
    Set<String> undocumented = new TreeSet<>();
    Matcher m = VARIABLE.matcher(raw);
    while (m.find()) {
      if (!readme.contains("`" + m.group(1) + "`")) {
        undocumented.add(m.group(1));
      }
    }
    assertEquals(Set.of(), undocumented, "variables missing from deploy/README.md");
  }

  @Test
  void shouldDocumentEverySettingGivenToDunwatchContainers() throws IOException {
    String docs = Files.readString(OPERATIONS);
    Set<String> undocumented = new TreeSet<>();
    JsonNode services = compose().get("services");
    services
        .fields()
        .forEachRemaining(
            s -> {
              if (s.getValue().path("image").asText().contains("dunwatch")) {
                s.getValue()
                    .path("environment")
                    .fieldNames()
                    .forEachRemaining(n -> addIfUndocumented(docs, n, undocumented));
              }
            });
    for (JsonNode doc : kubernetes()) {
      if (doc.path("kind").asText().equals("ConfigMap")) {
        doc.path("data")
            .fieldNames()
            .forEachRemaining(n -> addIfUndocumented(docs, n, undocumented));
      }
    }
    for (JsonNode env : container().path("env")) {
      addIfUndocumented(docs, env.path("name").asText(), undocumented);
    }
    assertEquals(Set.of(), undocumented, "settings missing from docs/operations.md");
  }

  private static void addIfUndocumented(String docs, String name, Set<String> undocumented) {
    if ((name.startsWith("DUNWATCH_") || name.startsWith("KAFKA_"))
        && !docs.contains("`" + name + "`")) {
      undocumented.add(name);
    }
  }

  @Test
  void shouldWaitOnlyForDependenciesThatCanBecomeHealthy() throws IOException {
    JsonNode services = compose().get("services");
    List<String> wrong = new ArrayList<>();
    Set<String> longRunning = new HashSet<>();
    services
        .fields()
        .forEachRemaining(
            s -> {
              if (!s.getValue().has("restart") && !s.getKey().equals("topics")) {
                longRunning.add(s.getKey());
              }
              s.getValue()
                  .path("depends_on")
                  .fields()
                  .forEachRemaining(
                      d -> {
                        JsonNode target = services.get(d.getKey());
                        String condition = d.getValue().path("condition").asText();
                        if (target == null) {
                          wrong.add(s.getKey() + " depends on a missing " + d.getKey());
                        } else if (condition.equals("service_healthy")
                            && !target.has("healthcheck")) {
                          wrong.add(
                              s.getKey() + " waits for " + d.getKey() + " without a healthcheck");
                        } else if (condition.isEmpty()) {
                          wrong.add(
                              s.getKey() + " starts with " + d.getKey() + " without a condition");
                        }
                      });
            });
    for (String s : longRunning) {
      if (!services.get(s).has("healthcheck")) {
        wrong.add(s + " runs without a healthcheck");
      }
    }
    assertEquals(List.of(), wrong);
    String check = services.get("dunwatch").path("healthcheck").path("test").toString();
    assertTrue(check.contains(HttpServer.READY), check);
  }

  @Test
  void shouldAgreeOnComposePortsVolumesAndTheScrapeTarget() throws IOException {
    JsonNode root = compose();
    JsonNode dunwatch = root.get("services").get("dunwatch");
    String port = dunwatch.path("environment").path("DUNWATCH_HTTP_PORT").asText();
    assertEquals("0.0.0.0", dunwatch.path("environment").path("DUNWATCH_HTTP_BIND").asText());
    assertTrue(
        textOf(dunwatch.path("ports")).contains(":" + port + ":" + port),
        "dunwatch publishes its HTTP port");
    JsonNode prometheus = YAML.readTree(COMPOSE.resolve("prometheus.yml").toFile());
    assertEquals(
        "dunwatch:" + port, prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText());
    assertEquals(HttpServer.METRICS, prometheus.at("/scrape_configs/0/metrics_path").asText());
    assertTrue(
        textOf(dunwatch.path("volumes"))
            .contains(":" + dunwatch.path("environment").path("DUNWATCH_STATE_DIR").asText()),
        "the state directory is a volume");

    Set<String> declared = new HashSet<>();
    root.path("volumes").fieldNames().forEachRemaining(declared::add);
    Map<String, String> hostPorts = new HashMap<>();
    List<String> wrong = new ArrayList<>();
    root.get("services")
        .fields()
        .forEachRemaining(
            s -> {
              for (JsonNode v : s.getValue().path("volumes")) {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".")) {
                  if (!Files.exists(COMPOSE.resolve(source))) {
                    wrong.add(s.getKey() + " mounts missing " + source);
                  }
                } else if (!declared.contains(source)) {
                  wrong.add(s.getKey() + " uses undeclared volume " + source);
                }
              }
              for (JsonNode p : s.getValue().path("ports")) {
                String[] parts = p.asText().split(":");
                String host = parts[parts.length - 2];
                String other = hostPorts.put(host, s.getKey());
                if (other != null) {
                  wrong.add(s.getKey() + " and " + other + " publish host port " + host);
                }
                if (!p.asText().startsWith("127.0.0.1:")) {
                  wrong.add(s.getKey() + " publishes " + p.asText() + " beyond loopback");
                }
              }
            });
    assertEquals(List.of(), wrong);
  }

  @Test
  void shouldProvisionTheDashboardAndThePrometheusDatasourceItQueries() throws IOException {
    JsonNode datasource =
        YAML.readTree(COMPOSE.resolve("grafana/provisioning/datasources/prometheus.yaml").toFile());
    String uid = datasource.at("/datasources/0/uid").asText();
    JsonNode dashboard = new ObjectMapper().readTree(MetricsIT.DASHBOARD.toFile());
    assertFalse(dashboard.path("panels").isEmpty());
    for (JsonNode panel : dashboard.path("panels")) {
      assertEquals(uid, panel.at("/datasource/uid").asText(), panel.path("title").asText());
      assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
    }
    JsonNode provider =
        YAML.readTree(COMPOSE.resolve("grafana/provisioning/dashboards/dunwatch.yaml").toFile());
    String path = provider.at("/providers/0/options/path").asText();
    String grafanaVolumes = textOf(compose().at("/services/grafana/volumes"));
    assertTrue(grafanaVolumes.contains("../grafana/dashboards:" + path), grafanaVolumes);
  }

  // ---- kubernetes

  @Test
  void shouldListOnlyExistingFilesInTheKustomization() throws IOException {
    JsonNode k = YAML.readTree(KUBERNETES.resolve("kustomization.yaml").toFile());
    for (JsonNode r : k.path("resources")) {
      assertTrue(Files.isRegularFile(KUBERNETES.resolve(r.asText())), r.asText());
    }
    for (JsonNode doc : kubernetes()) {
      assertFalse(doc.path("apiVersion").asText().isEmpty(), doc.toString());
      assertFalse(doc.path("kind").asText().isEmpty(), doc.toString());
      assertFalse(doc.at("/metadata/name").asText().isEmpty(), doc.toString());
    }
  }

  @Test
  void shouldProbeTheHealthEndpointsOnThePortTheAppServes() throws IOException {
    JsonNode c = container();
    Map<String, String> config = configMap();
    String port = config.get("DUNWATCH_HTTP_PORT");
    assertEquals("0.0.0.0", config.get("DUNWATCH_HTTP_BIND"));
    assertEquals(port, c.at("/ports/0/containerPort").asText());
    String portName = c.at("/ports/0/name").asText();
    assertEquals(HttpServer.LIVE, c.at("/livenessProbe/httpGet/path").asText());
    assertEquals(HttpServer.LIVE, c.at("/startupProbe/httpGet/path").asText());
    assertEquals(HttpServer.READY, c.at("/readinessProbe/httpGet/path").asText());
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertEquals(portName, c.at("/" + probe + "/httpGet/port").asText(), probe);
    }
    JsonNode service = kind("Service");
    assertEquals("None", service.at("/spec/clusterIP").asText(), "headless");
    assertEquals(portName, service.at("/spec/ports/0/targetPort").asText());
    assertEquals(
        kind("StatefulSet").at("/spec/template/metadata/annotations/prometheus.io~1port").asText(),
        port);
  }

  @Test
  void shouldKeepStateOnAPersistentVolumeAndPodsSelectedAlike() throws IOException {
    JsonNode sts = kind("StatefulSet");
    JsonNode c = container();
    String claim = sts.at("/spec/volumeClaimTemplates/0/metadata/name").asText();
    String mount = null;
    for (JsonNode m : c.path("volumeMounts")) {
      if (m.path("name").asText().equals(claim)) {
        mount = m.path("mountPath").asText();
      }
    }
    assertEquals(configMap().get("DUNWATCH_STATE_DIR"), mount);
    assertEquals(
        kind("Service").at("/metadata/name").asText(), sts.at("/spec/serviceName").asText());
    JsonNode labels = sts.at("/spec/template/metadata/labels");
    for (JsonNode selector :
        List.of(
            sts.at("/spec/selector/matchLabels"),
            kind("PodDisruptionBudget").at("/spec/selector/matchLabels"),
            kind("Service").at("/spec/selector"))) {
      selector
          .fields()
          .forEachRemaining(
              e ->
                  assertEquals(
                      e.getValue().asText(), labels.path(e.getKey()).asText(), e.getKey()));
    }
    assertTrue(sts.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean());
    assertFalse(c.at("/resources/requests/cpu").isMissingNode());
    assertFalse(c.at("/resources/requests/memory").isMissingNode());
  }

  @Test
  void shouldReferenceOnlySecretKeysAndConfigMapsThatAreDeclared() throws IOException {
    JsonNode secret = kind("Secret");
    Set<String> keys = new HashSet<>();
    secret.path("stringData").fieldNames().forEachRemaining(keys::add);
    List<String> refs = new ArrayList<>();
    for (JsonNode env : container().path("env")) {
      JsonNode ref = env.at("/valueFrom/secretKeyRef");
      if (!ref.isMissingNode()) {
        assertEquals(secret.at("/metadata/name").asText(), ref.path("name").asText());
        assertTrue(keys.contains(ref.path("key").asText()), ref.toString());
        refs.add(env.path("name").asText());
      }
    }
    assertTrue(refs.contains("DUNWATCH_PSEUDONYM_KEY"), refs.toString());
    assertTrue(refs.contains("DUNWATCH_BASIC_AUTH_USER_INFO"), refs.toString());
    assertEquals(
        kind("ConfigMap").at("/metadata/name").asText(),
        container().at("/envFrom/0/configMapRef/name").asText());
  }

  @Test
  void shouldDeclareTheTopicsAsDunwatchTopicsCreateMakesThem() throws IOException {
    Map<String, String> declared = new TreeMap<>();
    for (JsonNode doc : kubernetes()) {
      if (doc.path("kind").asText().equals("KafkaTopic")) {
        JsonNode spec = doc.path("spec");
        Map<String, String> config = new TreeMap<>();
        spec.path("config")
            .fields()
            .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        declared.put(
            spec.path("topicName").asText(),
            spec.path("partitions").asInt() + "/" + spec.path("replicas").asInt() + " " + config);
      }
    }
    Map<String, String> planned = new TreeMap<>();
    for (TopicPlan.Spec s :
        TopicPlan.of(
            TopicNames.defaults(), TopicPlan.DEFAULT_PARTITIONS, TopicPlan.DEFAULT_REPLICATION)) {
      planned.put(
          s.name(), s.partitions() + "/" + s.replication() + " " + new TreeMap<>(s.configs()));
    }
    assertEquals(planned, declared);
  }

  @Test
  void shouldRenderWithKustomizeWhereKubectlIsInstalled() throws Exception {
    Path kubectl = onPath("kubectl");
    // the raw files are checked by the other tests; rendering needs the kubectl binary
    assumeTrue(kubectl != null, "kubectl is not on the PATH");
    Process p =
        new ProcessBuilder(kubectl.toString(), "kustomize", KUBERNETES.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    List<String> kinds = new ArrayList<>();
    for (JsonNode doc : readAll(out)) {
      kinds.add(doc.path("kind").asText());
      assertEquals("dunwatch", doc.at("/metadata/labels/app.kubernetes.io~1part-of").asText());
    }
    assertEquals(kubernetes().size(), kinds.size());
  }

  // ---- helpers

  private static JsonNode compose() throws IOException {
    return YAML.readTree(COMPOSE.resolve("compose.yaml").toFile());
  }

  private static List<JsonNode> kubernetes() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    JsonNode k = YAML.readTree(KUBERNETES.resolve("kustomization.yaml").toFile());
    for (JsonNode r : k.path("resources")) {
      docs.addAll(readAll(Files.readString(KUBERNETES.resolve(r.asText()))));
    }
    return docs;
  }

  private static List<JsonNode> readAll(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isEmpty()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  private static JsonNode kind(String kind) throws IOException {
    for (JsonNode doc : kubernetes()) {
      if (doc.path("kind").asText().equals(kind)) {
        return doc;
      }
    }
    throw new AssertionError("no " + kind + " in deploy/kubernetes");
  }

  private static JsonNode container() throws IOException {
    JsonNode c = kind("StatefulSet").at("/spec/template/spec/containers/0");
    assertNotNull(c);
    return c;
  }

  private static Map<String, String> configMap() throws IOException {
    Map<String, String> data = new TreeMap<>();
    kind("ConfigMap")
        .path("data")
        .fields()
        .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
    return data;
  }

  private static String interpolateDefaults(String s) {
    return Pattern.compile("\\$\\{[A-Z0-9_]+:?-([^}]*)}").matcher(s).replaceAll("$1");
  }

  private static String textOf(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(n -> parts.add(n.asText()));
    return String.join(" ", parts);
  }

  private static Path onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
