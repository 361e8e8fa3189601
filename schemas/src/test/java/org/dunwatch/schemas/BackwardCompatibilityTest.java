package org.dunwatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.dlq.DeadLetter;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every topic schema must read what the previous released version wrote (BACKWARD), so consumers
 * can upgrade before producers. The released schemas live in {@code
 * src/test/resources/released/<version>/}; on a release, add the new version's folder and point
 * {@link #PREVIOUS_RELEASE} at it.
 */
class BackwardCompatibilityTest {

  static final String PREVIOUS_RELEASE = "0.1.0";

  static Stream<Arguments> topicSchemas() {
    return Stream.of(
        Arguments.of("CallRecord", CallRecord.getClassSchema()),
        Arguments.of("SmsRecord", SmsRecord.getClassSchema()),
        Arguments.of("LenderEvent", LenderEvent.getClassSchema()),
        Arguments.of("Alert", Alert.getClassSchema()),
        Arguments.of("DeadLetter", DeadLetter.getClassSchema()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topicSchemas")
  void shouldReadWhatThePreviousReleaseWrote(String name, Schema current) throws IOException {
    Schema released = released(name);
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(current, released);
    assertEquals(
        SchemaCompatibilityType.COMPATIBLE,
        result.getType(),
        () ->
            name
                + " is not backward compatible with "
                + PREVIOUS_RELEASE
                + ": "
                + result.getResult());
  }

  @Test
  void shouldCatchARequiredFieldAddedWithoutDefault() throws IOException {
    Schema released = released("CallRecord");
    List<Schema.Field> fields = copyFields(released);
    fields.add(new Schema.Field("imei", Schema.create(Schema.Type.STRING), null, (Object) null));
    Schema broken =
        Schema.createRecord(
            released.getName(), released.getDoc(), released.getNamespace(), false, fields);

    assertNotEquals(
        SchemaCompatibilityType.COMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(broken, released).getType());
  }

  @Test
  void shouldAcceptAnOptionalFieldWithNullDefault() throws IOException {
    Schema released = released("Alert");
    List<Schema.Field> fields = copyFields(released);
    fields.add(
        new Schema.Field(
            "case_number",
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
            null,
            Schema.Field.NULL_DEFAULT_VALUE));
    Schema evolved =
        Schema.createRecord(
            released.getName(), released.getDoc(), released.getNamespace(), false, fields);

    assertEquals(
        SchemaCompatibilityType.COMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(evolved, released).getType());
  }

  private static List<Schema.Field> copyFields(Schema record) {
    return new java.util.ArrayList<>(
        record.getFields().stream().map(f -> new Schema.Field(f, f.schema())).toList());
  }

  private static Schema released(String name) throws IOException {
    String path = "/released/" + PREVIOUS_RELEASE + "/" + name + ".avsc";
    try (InputStream in = BackwardCompatibilityTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing released schema " + path);
      }
      return new Schema.Parser().parse(in);
    }
  }
}
