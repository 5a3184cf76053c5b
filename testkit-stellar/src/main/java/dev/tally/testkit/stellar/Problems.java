package dev.tally.testkit.stellar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;

/** Horizon's RFC 7807 problem responses. */
final class Problems {

    private static final String CONTENT_TYPE = "application/problem+json; charset=utf-8";
    private static final String TYPE_PREFIX = "https://stellar.org/horizon-errors/";

    private Problems() {}

    static MockResponse notFound() {
        return HorizonDispatcher.respond(
                404,
                CONTENT_TYPE,
                problem(
                        "not_found",
                        "Resource Missing",
                        404,
                        "The resource at the url requested was not found.  This usually occurs for one of two reasons:  "
                                + "The url requested is not valid, or no data in our database could be found with the "
                                + "parameters provided."));
    }

    static MockResponse badRequest(String field, String reason) {
        ObjectNode body = problem("bad_request", "Bad Request", 400, "The request you sent was invalid in some way.");
        body.putObject("extras").put("invalid_field", field).put("reason", reason);
        return HorizonDispatcher.respond(400, CONTENT_TYPE, body);
    }

    /**
     * Horizon's answer when core did not confirm a submission in time: the transaction may or may not be in a
     * ledger, and only the same envelope (or a look-up of its hash) can tell.
     */
    static MockResponse timeout() {
        return HorizonDispatcher.respond(
                504,
                CONTENT_TYPE,
                problem(
                        "timeout",
                        "Timeout",
                        504,
                        "Your request timed out before completing. Please try your request again. If you are submitting"
                                + " a transaction make sure you are sending exactly the same transaction (with the same"
                                + " sequence number)."));
    }

    /** Horizon's rate limit, with the wait a client must respect in {@code Retry-After} (seconds). */
    static MockResponse rateLimited(Duration retryAfter) {
        return HorizonDispatcher.respond(
                        429,
                        CONTENT_TYPE,
                        problem(
                                "rate_limit_exceeded",
                                "Rate Limit Exceeded",
                                429,
                                "The rate limit for the requesting IP address is over its alloted limit."))
                .setHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
    }

    /** A submission refused or failed, with its transaction and operation result codes. */
    static MockResponse transactionFailed(
            String envelopeXdr, String resultXdr, String transactionCode, List<String> operationCodes) {
        ObjectNode body = problem(
                "transaction_failed",
                "Transaction Failed",
                400,
                "The transaction failed when submitted to the stellar network. The `extras.result_codes` field "
                        + "on this response contains further details.  Descriptions of each code can be found at: "
                        + "https://developers.stellar.org/docs/data/apis/horizon/api-reference/errors/result-codes");
        ObjectNode extras = body.putObject("extras");
        extras.put("envelope_xdr", envelopeXdr);
        extras.put("result_xdr", resultXdr);
        ObjectNode codes = extras.putObject("result_codes");
        codes.put("transaction", transactionCode);
        if (operationCodes != null) {
            ArrayNode ops = codes.putArray("operations");
            operationCodes.forEach(ops::add);
        }
        return HorizonDispatcher.respond(400, CONTENT_TYPE, body);
    }

    static MockResponse transactionMalformed(String envelopeXdr, String detail) {
        ObjectNode body = problem(
                "transaction_malformed",
                "Transaction Malformed",
                400,
                "Horizon could not decode the transaction envelope in this request. " + detail);
        body.putObject("extras").put("envelope_xdr", envelopeXdr);
        return HorizonDispatcher.respond(400, CONTENT_TYPE, body);
    }

    private static ObjectNode problem(String type, String title, int status, String detail) {
        ObjectNode body = HorizonJson.MAPPER.createObjectNode();
        body.put("type", TYPE_PREFIX + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }
}
