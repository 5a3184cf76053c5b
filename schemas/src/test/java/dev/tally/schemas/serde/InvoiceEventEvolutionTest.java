package dev.tally.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The credit note additions to {@code InvoiceEvent} (issue 10) keep both directions readable: a reader of the
 * schema before them reads a {@code CREDIT_NOTE_ISSUED} or {@code REFUND_REQUESTED} event as {@code UNKNOWN} (the
 * enum's default) without failing, and an event written before them reads with the new fields at their defaults.
 */
class InvoiceEventEvolutionTest {

    private static final List<String> NEW_SYMBOLS = List.of("CREDIT_NOTE_ISSUED", "REFUND_REQUESTED");
    private static final List<String> NEW_FIELDS = List.of(
            "creditNoteId",
            "creditNoteNumber",
            "creditedMinor",
            "creditNoteReason",
            "creditNoteOutcome",
            "refundMinor");

    /** The schema as it stood before credit notes: without their symbols and fields. */
    private static Schema before() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode schema =
                (ObjectNode) json.readTree(InvoiceEvent.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) schema.get("fields");
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (NEW_FIELDS.contains(fields.get(i).get("name").asText())) {
                fields.remove(i);
            }
        }
        ArrayNode symbols = (ArrayNode) fields.get(1).get("type").get("symbols");
        for (int i = symbols.size() - 1; i >= 0; i--) {
            if (NEW_SYMBOLS.contains(symbols.get(i).asText())) {
                symbols.remove(i);
            }
        }
        return new Schema.Parser().parse(json.writeValueAsString(schema));
    }

    private static InvoiceEvent.Builder event(InvoiceEventType type) {
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        return InvoiceEvent.newBuilder()
                .setEventId("e1")
                .setType(type)
                .setInvoiceId("inv_1")
                .setInvoiceNumber("ACME-2026-000001")
                .setOrganizationId("org_1")
                .setCustomerId("c1")
                .setLivemode(false)
                .setCurrency("USD")
                .setTotalMinor(1234)
                .setPeriodStart(at)
                .setPeriodEnd(at)
                .setOccurredAt(at);
    }

    @Test
    void shouldReadACreditNoteEventAsUnknownWithTheSchemaBeforeCreditNotes() throws IOException {
        InvoiceEvent refund = event(InvoiceEventType.REFUND_REQUESTED)
                .setCreditNoteId("cn_1")
                .setRefundMinor(400L)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<InvoiceEvent>(InvoiceEvent.getClassSchema()).write(refund, encoder);
        encoder.flush();

        GenericRecord read = new GenericDatumReader<GenericRecord>(InvoiceEvent.getClassSchema(), before())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.get("type").toString()).isEqualTo("UNKNOWN");
        assertThat(read.get("invoiceId").toString()).isEqualTo("inv_1");
        assertThat(read.getSchema().getField("refundMinor")).isNull();
    }

    @Test
    void shouldReadAnEventWrittenBeforeCreditNotesWithTheirFieldsAtTheirDefaults() throws IOException {
        Schema before = before();
        GenericRecord old = new GenericData.Record(before);
        InvoiceEvent paid = event(InvoiceEventType.PAID).build();
        for (Schema.Field field : before.getFields()) {
            Object value = paid.get(field.name());
            old.put(
                    field.name(),
                    field.name().equals("type") ? new GenericData.EnumSymbol(field.schema(), value.toString()) : value);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(before, TimestampsAsLongs.MODEL).write(old, encoder);
        encoder.flush();

        InvoiceEvent read = new SpecificDatumReader<InvoiceEvent>(before, InvoiceEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.getType()).isEqualTo(InvoiceEventType.PAID);
        assertThat(read.getCreditNoteId()).isNull();
        assertThat(read.getRefundMinor()).isNull();
    }

    /** The generic writer needs the timestamp conversion for the Instants the specific record holds. */
    private static final class TimestampsAsLongs {
        static final GenericData MODEL = new GenericData();

        static {
            MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        }
    }
}
