package dev.tally.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.registry.IncompatibleSchemaException;
import dev.tally.schemas.registry.SchemaRegistryClient;
import dev.tally.schemas.registry.embedded.EmbeddedSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
    private final SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());

    @AfterEach
    void stop() {
        registry.close();
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> AvroSerde<T> serdeFor(T record) {
        return AvroSerde.forValues(client, (Class<T>) record.getClass());
    }

    @Test
    void shouldRoundTripEveryContractThroughTheRegistry() {
        for (Map.Entry<String, SpecificRecord> sample : ContractSamples.all().entrySet()) {
            AvroSerde<SpecificRecord> serde = serdeFor(sample.getValue());

            byte[] bytes = serde.serialize(sample.getKey(), sample.getValue());

            assertThat(serde.deserialize(sample.getKey(), bytes))
                    .as(sample.getKey())
                    .isEqualTo(sample.getValue());
        }
    }

    @Test
    void shouldWriteTheConfluentWireFormat() throws IOException {
        for (Map.Entry<String, SpecificRecord> sample : ContractSamples.all().entrySet()) {
            SpecificRecord record = sample.getValue();

            byte[] bytes = serdeFor(record).serialize(sample.getKey(), record);

            int registeredId = client.latest(sample.getKey() + "-value").id();
            assertThat(bytes[0]).as("magic byte").isZero();
            int id = ((bytes[1] & 0xff) << 24)
                    | ((bytes[2] & 0xff) << 16)
                    | ((bytes[3] & 0xff) << 8)
                    | (bytes[4] & 0xff);
            assertThat(id).as("big-endian schema id of %s", sample.getKey()).isEqualTo(registeredId);
            assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
                    .as("Avro binary")
                    .isEqualTo(plainAvro(record));
        }
    }

    @Test
    void shouldBeReadableByAPlainGenericReaderGivenOnlyTheRegistryUrl() throws Exception {
        for (Map.Entry<String, SpecificRecord> sample : ContractSamples.all().entrySet()) {
            byte[] bytes = serdeFor(sample.getValue()).serialize(sample.getKey(), sample.getValue());

            GenericRecord read = readLikeAnyConfluentConsumer(registry.url(), bytes);

            // what the generic reader saw, written back and read as our class, is the record: it read every field
            assertThat(asSpecific(genericAvro(read), sample.getValue().getSchema()))
                    .as(sample.getKey())
                    .isEqualTo(sample.getValue());
        }
        byte[] event = serdeFor(ContractSamples.usageEvent()).serialize("usage-events", ContractSamples.usageEvent());
        GenericRecord read = readLikeAnyConfluentConsumer(registry.url(), event);
        assertThat(read.get("eventId").toString()).isEqualTo("evt_1");
        Schema quantity = read.getSchema().getField("quantity").schema();
        assertThat(new Conversions.DecimalConversion()
                        .fromBytes((ByteBuffer) read.get("quantity"), quantity, LogicalTypes.fromSchema(quantity)))
                .isEqualTo(new BigDecimal("3.000000001"));
    }

    @Test
    void shouldFailLoudlyWhenTheRegistryRefusesTheSchema() {
        Schema older = SchemaBuilder.record("UsageEvent")
                .namespace("dev.tally.schemas.avro")
                .fields()
                .requiredInt("eventId")
                .endRecord();
        client.register("usage-events-value", older);
        AvroSerde<UsageEvent> serde = AvroSerde.forValues(client, UsageEvent.class);

        assertThatThrownBy(() -> serde.serialize("usage-events", ContractSamples.usageEvent()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("409");
        assertThat(client.latest("usage-events-value").schema()).isEqualTo(older);
    }

    @Test
    void shouldReadRecordsWrittenWithAnEarlierCompatibleSchema() throws IOException {
        Schema current = UsageAggregate.getClassSchema();
        Schema withoutKind = Schema.createRecord(
                current.getName(),
                current.getDoc(),
                current.getNamespace(),
                false,
                current.getFields().stream()
                        .filter(f -> !f.name().equals("kind"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        int olderId = client.register("usage-aggregates-value", withoutKind);
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        GenericRecord old = new GenericData.Record(withoutKind);
        UsageAggregate sample = ContractSamples.usageAggregate();
        for (Schema.Field field : withoutKind.getFields()) {
            old.put(
                    field.name(),
                    sample.get(field.name()) instanceof java.time.Instant instant
                            ? instant.toEpochMilli()
                            : sample.get(field.name()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(olderId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(withoutKind, model).write(old, encoder);
        encoder.flush();

        UsageAggregate read =
                AvroSerde.forValues(client, UsageAggregate.class).deserialize("usage-aggregates", out.toByteArray());

        assertThat(read.getKind()).isEqualTo(AggregateKind.WINDOW);
        assertThat(read.getQuantity()).isEqualTo(sample.getQuantity());
        assertThat(read.getAggregateId()).isEqualTo(sample.getAggregateId());
    }

    @Test
    void shouldRefuseBytesNotInTheWireFormat() {
        AvroSerde<UsageEvent> serde = AvroSerde.forValues(client, UsageEvent.class);

        assertThatThrownBy(() -> serde.deserialize("usage-events", new byte[] {7, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("wire format");
        assertThatThrownBy(() -> serde.deserialize("usage-events", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldUseTopicNameSubjects() {
        assertThat(AvroSerde.forValues(client, UsageEvent.class).subject("acme.usage-events"))
                .isEqualTo("acme.usage-events-value");
        assertThat(AvroSerde.forKeys(client, UsageEvent.class).subject("acme.usage-events"))
                .isEqualTo("acme.usage-events-key");
    }

    /**
     * What a consumer that knows nothing of our code does: fetch the writer schema by the id in the
     * header over REST, and decode with a plain {@link GenericDatumReader}.
     */
    private static GenericRecord readLikeAnyConfluentConsumer(URI registryUrl, byte[] bytes)
            throws IOException, InterruptedException {
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(registryUrl.resolve("/schemas/ids/" + id))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Schema writer = new Schema.Parser()
                .parse(new ObjectMapper()
                        .readTree(response.body())
                        .get("schema")
                        .asText());
        return new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    }

    private static byte[] plainAvro(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Object asSpecific(byte[] avro, Schema schema) throws IOException {
        return new SpecificDatumReader<>(schema).read(null, DecoderFactory.get().binaryDecoder(avro, null));
    }

    private static byte[] genericAvro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
