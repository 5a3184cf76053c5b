package dev.tally.schemas.serde;

import dev.tally.schemas.Decimals;
import dev.tally.schemas.avro.AggregateKind;
import dev.tally.schemas.avro.Aggregation;
import dev.tally.schemas.avro.ApiKeyRecord;
import dev.tally.schemas.avro.ApiKeyUsage;
import dev.tally.schemas.avro.InvoiceEvent;
import dev.tally.schemas.avro.InvoiceEventType;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.OrganizationSettings;
import dev.tally.schemas.avro.PaymentEvent;
import dev.tally.schemas.avro.PaymentEventType;
import dev.tally.schemas.avro.RejectedRecord;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import dev.tally.schemas.avro.UsageAggregate;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.avro.UsageFinality;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in record of every contract, optional fields set, as the pipeline writes them. */
final class ContractSamples {

    static final Instant T = Instant.parse("2026-11-22T03:00:00Z");

    private ContractSamples() {}

    static UsageEvent usageEvent() {
        return UsageEvent.newBuilder()
                .setEventId("evt_1")
                .setOrganizationId("org_1")
                .setCustomerId("cus_1")
                .setFeature("ai_call")
                .setQuantity(Decimals.quantity(new BigDecimal("3.000000001")))
                .setOccurredAt(T)
                .setReceivedAt(T.plusMillis(15))
                .setProperties(Map.of("model", "small", "region", "eu"))
                .setLivemode(true)
                .setRetracts("evt_0")
                .build();
    }

    static UsageAggregate usageAggregate() {
        return UsageAggregate.newBuilder()
                .setOrganizationId("org_1")
                .setCustomerId("cus_1")
                .setFeature("ai_call")
                .setLivemode(false)
                .setWindowStart(T)
                .setWindowEnd(T.plusSeconds(3600))
                .setQuantity(Decimals.quantity(new BigDecimal("12345678901234567890.5")))
                .setEventCount(42)
                .setClosed(true)
                .setKind(AggregateKind.CORRECTION)
                .setAggregateId("org_1|test|cus_1|ai_call|1795834800000#2/1")
                .setAggregation(Aggregation.UNIQUE_COUNT)
                .setRevision(2)
                .setLatestAt(T.plusSeconds(60))
                .setValuesAdded(List.of("user_3"))
                .setValuesRemoved(List.of("user_1"))
                .setPart(1)
                .setParts(2)
                .build();
    }

    static InvoiceEvent invoiceEvent() {
        return InvoiceEvent.newBuilder()
                .setEventId("ie_1")
                .setType(InvoiceEventType.FINALIZED)
                .setInvoiceId("inv_1")
                .setInvoiceNumber("2026-0001")
                .setOrganizationId("org_1")
                .setCustomerId("cus_1")
                .setLivemode(true)
                .setCurrency("USD")
                .setTotalMinor(123_456L)
                .setPeriodStart(T.minusSeconds(86_400))
                .setPeriodEnd(T)
                .setOccurredAt(T.plusSeconds(1))
                .build();
    }

    static PaymentEvent paymentEvent() {
        return PaymentEvent.newBuilder()
                .setEventId("pe_1")
                .setType(PaymentEventType.SETTLED)
                .setInvoiceId("inv_1")
                .setOrganizationId("org_1")
                .setLivemode(true)
                .setAmount(Decimals.stellarAmount(new BigDecimal("1234.56")))
                .setAssetCode("USDC")
                .setAssetIssuer("GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN")
                .setDestination("GDESTINATION")
                .setMemo("inv_1")
                .setPayUri("web+stellar:pay?destination=GDESTINATION&amount=1234.56")
                .setTransactionHash("ab".repeat(32))
                .setSourceAccount("GSOURCE")
                .setOccurredAt(T)
                .build();
    }

    static RejectedRecord rejectedRecord() {
        return RejectedRecord.newBuilder()
                .setSourceTopic("usage-events")
                .setPartition(3)
                .setOffset(9_000_000_000L)
                .setReason("undeserializable: magic byte 7")
                .setKey(ByteBuffer.wrap("org_1|cus_1".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {7, 0, 0, 0, 1}))
                .setRejectedAt(T)
                .build();
    }

    static ApiKeyRecord apiKeyRecord() {
        return ApiKeyRecord.newBuilder()
                .setKeyHash("0f".repeat(32))
                .setKeyPrefix("mk_live_a1B2")
                .setOrganizationId("org_1")
                .setLivemode(true)
                .setScopes(List.of("usage:write", "usage:read"))
                .setExpiresAt(T.plusSeconds(3600))
                .setRevokedAt(T.plusSeconds(60))
                .setUpdatedAt(T.plusSeconds(60))
                .build();
    }

    static ApiKeyUsage apiKeyUsage() {
        return ApiKeyUsage.newBuilder()
                .setKeyHash("0f".repeat(32))
                .setOrganizationId("org_1")
                .setLastUsedAt(T.plusMillis(1_250))
                .build();
    }

    static MeterDefinition meterDefinition() {
        return MeterDefinition.newBuilder()
                .setMeterId("mtr_1")
                .setOrganizationId("org_1")
                .setLivemode(true)
                .setFeature("active_users")
                .setAggregation(Aggregation.UNIQUE_COUNT)
                .setValueProperty("user_id")
                .setCreatedAt(T)
                .setArchivedAt(T.plusSeconds(7200))
                .setUpdatedAt(T.plusSeconds(7200))
                .build();
    }

    static OrganizationSettings organizationSettings() {
        return OrganizationSettings.newBuilder()
                .setOrganizationId("org_1")
                .setUnknownFeature(UnknownFeaturePolicy.REJECT)
                .setUpdatedAt(T)
                .build();
    }

    static UsageFinality usageFinality() {
        return UsageFinality.newBuilder()
                .setPartition(3)
                .setClosedThrough(T)
                .setProducedAt(T.plusSeconds(5))
                .build();
    }

    /** Every contract, each under the topic it travels on. */
    static Map<String, SpecificRecord> all() {
        return Map.of(
                "usage-events", usageEvent(),
                "usage-aggregates", usageAggregate(),
                "invoice-events", invoiceEvent(),
                "payment-events", paymentEvent(),
                "usage-rejected", rejectedRecord(),
                "api-keys", apiKeyRecord(),
                "api-key-usage", apiKeyUsage(),
                "meters", meterDefinition(),
                "organizations", organizationSettings(),
                "usage-finality", usageFinality());
    }
}
