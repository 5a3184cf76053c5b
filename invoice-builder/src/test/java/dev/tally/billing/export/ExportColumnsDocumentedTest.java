package dev.tally.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.web.BillingOpenApiController;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The column sets are a contract: the OpenAPI document lists each export's columns as the code writes them. */
class ExportColumnsDocumentedTest {

    @Test
    void shouldListEachExportsColumnsInTheirOrderInTheOpenApiDocument() throws IOException {
        JsonNode paths;
        try (InputStream in = BillingOpenApiController.class.getResourceAsStream(BillingOpenApiController.RESOURCE)) {
            paths = ObjectMapper.getDefault()
                    .readValue(in.readAllBytes(), JsonNode.class)
                    .get("paths");
        }

        assertThat(description(paths, "/v1/exports/invoices.csv"))
                .contains("Columns, in this order (new ones are only ever added at the end): "
                        + String.join(", ", ExportColumns.INVOICES.names()) + ".");
        assertThat(description(paths, "/v1/exports/invoice-lines.csv"))
                .contains("Columns, in this order (new ones are only ever added at the end): "
                        + String.join(", ", ExportColumns.LINES.names()) + ".");
    }

    private static String description(JsonNode paths, String path) {
        return paths.get(path).get("get").get("description").getStringValue();
    }
}
