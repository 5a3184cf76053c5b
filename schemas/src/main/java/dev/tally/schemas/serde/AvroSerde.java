package dev.tally.schemas.serde;

import dev.tally.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro specific records in the Confluent wire format: magic byte 0, the schema's 4-byte big-endian
 * global id, then Avro binary. Subjects follow the TopicNameStrategy ({@code <topic>-value} or
 * {@code <topic>-key}), so Confluent's own deserializers read what this writes and the reverse.
 *
 * <p>The writer registers its schema on first use per topic; a registry that refuses it (409,
 * incompatible) makes that first {@code serialize} throw, loudly, before anything is sent.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    static final byte MAGIC_BYTE = 0;
    private static final int HEADER_SIZE = 5;

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final SpecificData model;
    private final boolean isKey;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    private AvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey) {
        this.registry = registry;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.isKey = isKey;
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
    }

    /** A serde for record values of {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> forValues(SchemaRegistryClient registry, Class<T> type) {
        return new AvroSerde<>(registry, type, false);
    }

    /** A serde for record keys of {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> forKeys(SchemaRegistryClient registry, Class<T> type) {
        return new AvroSerde<>(registry, type, true);
    }

    /** The registry subject this serde uses for {@code topic}. */
    public String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = idsByTopic.computeIfAbsent(topic, t -> registry.register(subject(t), readerSchema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        // unbuffered: the stream is in memory, and a buffered encoder allocates 2 KiB per record
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "cannot write " + readerSchema.getFullName() + " for " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_SIZE || data[0] != MAGIC_BYTE) {
            throw new SerializationException("not in the Confluent wire format (magic byte 0 and a schema id): "
                    + data.length + " bytes on " + topic);
        }
        int writerId = ByteBuffer.wrap(data, 1, 4).getInt();
        SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(
                writerId, id -> new SpecificDatumReader<>(registry.schemaById(id), readerSchema, model));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_SIZE, data.length - HEADER_SIZE, null);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot read " + readerSchema.getFullName() + " from " + topic + " (writer schema id " + writerId
                            + "): " + e.getMessage(),
                    e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by construction; Kafka calls this when the serde is handed over as a class name
    }

    @Override
    public void close() {
        // the registry client is shared and outlives any one serde
    }
}
