package org.dunwatch.streams.lender;

import static org.dunwatch.streams.testdata.LenderEvents.cease;
import static org.dunwatch.streams.testdata.LenderEvents.closed;
import static org.dunwatch.streams.testdata.LenderEvents.collector;
import static org.dunwatch.streams.testdata.LenderEvents.delinquency;
import static org.dunwatch.streams.testdata.LenderEvents.loanOpened;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.InputStreams;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.CollectorRegs;
import org.dunwatch.streams.state.NumberLoans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LenderReferenceTest {

  @TempDir Path stateDir;

  private static final String SCOPE = "lender-reference-test";
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String BORROWER = "+8618800000001";
  private static final String SISTER = "+8618800000002";
  private static final String STRANGER = "+8618800000003";
  private static final String COLLECTOR = "+8617100000001";

  private TopologyTestDriver driver;
  private TestInputTopic<String, LenderEvent> lender;

  @BeforeEach
  void setUp() {
    Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));
    StreamsBuilder builder = new StreamsBuilder();
    InputStreams in = InputStreams.from(builder, topics, Duration.ofHours(1));
    LenderReference.addTo(builder, in.lender(), LenderReferenceRule.defaults());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lender-reference-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // a directory of its own: builds of two checkouts at once must not share RocksDB files
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), props);
    lender =
        driver.createInputTopic(
            topics.lender().name(),
            topics.lender().keySerde().serializer(),
            topics.lender().valueSerde().serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
    MockSchemaRegistry.drop(SCOPE);
  }

  private void send(LenderEvent e) {
    lender.pipeInput(Keys.of(e), e, e.getAt());
  }

  private List<LoanRole> rolesOf(String number, Instant at) {
    KeyValueStore<String, NumberLoans> numbers =
        driver.getKeyValueStore(LenderReference.NUMBER_STORE);
    NumberLoans loans = numbers.get(number);
    return loans == null
        ? List.of()
        : loans.getLoans().stream()
            .map(l -> LenderView.roleOf(l, number, at.toEpochMilli()))
            .filter(java.util.Objects::nonNull)
            .toList();
  }

  @Test
  void shouldGiveEachNumberItsRolesAsOfTheTimeAsked() {
    send(loanOpened("L1", "loan-1", BORROWER, T0, SISTER));
    send(delinquency("L1", "loan-1", 34, T0.plus(Duration.ofDays(40))));
    send(delinquency("L1", "loan-1", 61, T0.plus(Duration.ofDays(67))));
    send(cease("L1", "loan-1", STRANGER, T0.plus(Duration.ofDays(68))));
    send(closed("L1", "loan-1", T0.plus(Duration.ofDays(70))));

    Instant day50 = T0.plus(Duration.ofDays(50));
    assertEquals(
        List.of(new LoanRole("L1", "loan-1", LoanRole.Role.BORROWER, null, BORROWER, 34, null)),
        rolesOf(BORROWER, day50));
    assertEquals(
        List.of(
            new LoanRole(
                "L1", "loan-1", LoanRole.Role.DECLARED_CONTACT, "FAMILY", BORROWER, 34, null)),
        rolesOf(SISTER, day50));
    assertEquals(List.of(), rolesOf(STRANGER, day50));
    Instant day69 = T0.plus(Duration.ofDays(69));
    assertEquals(
        List.of(
            new LoanRole(
                "L1",
                "loan-1",
                LoanRole.Role.UNDECLARED,
                null,
                BORROWER,
                61,
                T0.plus(Duration.ofDays(68)).toEpochMilli())),
        rolesOf(STRANGER, day69));
    // before opening and after closing the loan is nobody's
    assertEquals(List.of(), rolesOf(BORROWER, T0.minusSeconds(1)));
    assertEquals(List.of(), rolesOf(BORROWER, T0.plus(Duration.ofDays(70))));
  }

  @Test
  void shouldKeepCollectorRegistrationsByNumberWithTheirValidity() {
    send(collector("L1", "agency-A", COLLECTOR, T0));
    KeyValueStore<String, CollectorRegs> regs =
        driver.getKeyValueStore(LenderReference.COLLECTOR_STORE);
    assertEquals(
        new CollectorRegs(List.of(new CollectorReg("L1", "agency-A", T0.toEpochMilli(), null))),
        regs.get(COLLECTOR));
    assertNull(regs.get(BORROWER));
  }

  @Test
  void shouldForgetAClosedLoanAfterTheRetention() {
    send(loanOpened("L1", "loan-1", BORROWER, T0, SISTER));
    send(closed("L1", "loan-1", T0.plus(Duration.ofDays(1))));
    KeyValueStore<String, NumberLoans> numbers =
        driver.getKeyValueStore(LenderReference.NUMBER_STORE);
    assertEquals(1, numbers.get(BORROWER).getLoans().size());
    // stream time moves 32 days on with another lender's loan
    send(loanOpened("L2", "loan-9", STRANGER, T0.plus(Duration.ofDays(32))));
    assertNull(numbers.get(BORROWER));
    assertNull(numbers.get(SISTER));
    assertNull(driver.getKeyValueStore(LenderReference.LOAN_STORE).get("L1/loan-1"));
  }
}
