package dev.tally.schemas.registry.embedded;

import static dev.tally.schemas.registry.embedded.RegistryHttp.compatibilityBody;
import static dev.tally.schemas.registry.embedded.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.registry.HttpSchemaRegistryClient;
import dev.tally.schemas.registry.IncompatibleSchemaException;
import dev.tally.schemas.registry.SchemaRegistryClient;
import dev.tally.schemas.registry.embedded.RegistryHttp.Answer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompatibilityTest {

    /** v1 of the record: just an id. */
    private static final Schema V1 = record().requiredString("id").endRecord();
    /** v1 plus a field with no default: old data lacks it, so a new reader cannot read old data. */
    private static final Schema ADDS_REQUIRED =
            record().requiredString("id").requiredLong("cents").endRecord();
    /** v1 plus a field with a default. */
    private static final Schema ADDS_OPTIONAL = record().requiredString("id")
            .name("cents")
            .type()
            .longType()
            .longDefault(0)
            .endRecord();
    /** the id as an int: nothing reads the other. */
    private static final Schema RETYPED = record().requiredInt("id").endRecord();

    private final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
    private final RegistryHttp http = new RegistryHttp(registry.url());
    private final SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());

    @AfterEach
    void stop() {
        registry.close();
    }

    private static SchemaBuilder.FieldAssembler<Schema> record() {
        return SchemaBuilder.record("Invoice").namespace("test").fields();
    }

    @Test
    void shouldBeBackwardByDefault() {
        Answer global = http.get("/config");

        assertThat(global.body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void shouldRefuseUnderBackwardANewFieldWithoutDefaultWith409() {
        client.register("invoices-value", V1);

        Answer refused = http.register("invoices-value", ADDS_REQUIRED);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.body().get("message").asText())
                .contains("incompatible")
                .contains("cents");
        assertThat(http.get("/subjects/invoices-value/versions").body()).hasSize(1);
    }

    @Test
    void shouldAcceptUnderBackwardANewFieldWithADefault() {
        client.register("invoices-value", V1);

        Answer accepted = http.register("invoices-value", ADDS_OPTIONAL);

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(http.get("/subjects/invoices-value/versions").body().toString())
                .isEqualTo("[1,2]");
    }

    @Test
    void shouldThrowIncompatibleSchemaFromTheClientOn409() {
        client.register("invoices-value", V1);

        assertThatThrownBy(() -> client.register("invoices-value", RETYPED))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("409");
    }

    @Test
    void shouldAcceptAnythingUnderNone() {
        client.register("invoices-value", V1);

        Answer set = http.put("/config/invoices-value", compatibilityBody("NONE"));

        assertThat(set.body().get("compatibility").asText()).isEqualTo("NONE");
        assertThat(http.register("invoices-value", RETYPED).status()).isEqualTo(200);
        assertThat(http.register("invoices-value", ADDS_REQUIRED).status()).isEqualTo(200);
        assertThat(http.get("/subjects/invoices-value/versions").body()).hasSize(3);
    }

    @Test
    void shouldApplyTheGlobalLevelToSubjectsWithoutTheirOwn() {
        client.register("invoices-value", V1);
        http.put("/config", compatibilityBody("NONE"));

        assertThat(http.get("/config").body().get("compatibilityLevel").asText())
                .isEqualTo("NONE");
        assertThat(http.register("invoices-value", RETYPED).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseUnderForwardARemovedFieldTheOldReaderNeeds() {
        client.register("invoices-value", ADDS_REQUIRED);
        http.put("/config/invoices-value", compatibilityBody("FORWARD"));

        assertThat(http.register("invoices-value", V1).status()).isEqualTo(409);
        assertThat(http.register(
                                "invoices-value",
                                record().requiredString("id")
                                        .requiredLong("cents")
                                        .requiredString("extra")
                                        .endRecord())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void shouldRequireBothDirectionsUnderFull() {
        client.register("invoices-value", V1);
        http.put("/config/invoices-value", compatibilityBody("FULL"));

        assertThat(http.register("invoices-value", ADDS_REQUIRED).status()).isEqualTo(409);
        assertThat(http.register("invoices-value", ADDS_OPTIONAL).status()).isEqualTo(200);
    }

    @Test
    void shouldCheckEveryVersionUnderTransitiveLevelsButOnlyTheLatestOtherwise() {
        Schema v1 = record().requiredInt("amount").endRecord();
        Schema v2 = record().endRecord();
        // backward with v2 (the field has a default) but not with v1 (int is not readable as string)
        Schema v3 =
                record().name("amount").type().stringType().stringDefault("").endRecord();
        client.register("plain-value", v1);
        client.register("plain-value", v2);
        client.register("transitive-value", v1);
        client.register("transitive-value", v2);
        http.put("/config/transitive-value", compatibilityBody("BACKWARD_TRANSITIVE"));

        assertThat(http.register("plain-value", v3).status()).isEqualTo(200);
        assertThat(http.register("transitive-value", v3).status()).isEqualTo(409);
    }

    @Test
    void shouldAnswerTheCompatibilityCheckWithoutRegistering() {
        client.register("invoices-value", V1);

        Answer compatible =
                http.post("/compatibility/subjects/invoices-value/versions/latest", schemaBody(ADDS_OPTIONAL));
        Answer incompatible = http.post(
                "/compatibility/subjects/invoices-value/versions/latest?verbose=true", schemaBody(ADDS_REQUIRED));

        assertThat(compatible.body().get("is_compatible").asBoolean()).isTrue();
        assertThat(incompatible.status()).isEqualTo(200);
        assertThat(incompatible.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.body().get("messages").get(0).asText()).contains("cents");
        assertThat(client.isCompatible("invoices-value", ADDS_OPTIONAL)).isTrue();
        assertThat(client.isCompatible("invoices-value", ADDS_REQUIRED)).isFalse();
        assertThat(http.get("/subjects/invoices-value/versions").body()).hasSize(1);
    }

    @Test
    void shouldCallAnySchemaCompatibleWithASubjectThatDoesNotExistYet() {
        assertThat(client.isCompatible("new-value", V1)).isTrue();
        assertThat(http.post("/compatibility/subjects/new-value/versions/1", schemaBody(V1))
                        .errorCode())
                .isEqualTo(40401);
    }

    @Test
    void shouldAnswerSubjectLevelConfigOnlyWhereSetUnlessAskedToDefault() {
        http.put("/config/invoices-value", compatibilityBody("FULL_TRANSITIVE"));

        assertThat(http.get("/config/invoices-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL_TRANSITIVE");
        assertThat(http.get("/config/other-value").errorCode()).isEqualTo(40408);
        assertThat(http.get("/config/other-value?defaultToGlobal=true")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");
    }

    @Test
    void shouldRefuseAnUnknownCompatibilityLevel() {
        Answer refused = http.put("/config", compatibilityBody("SIDEWAYS"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo(42203);
        assertThat(http.get("/config").body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
    }
}
