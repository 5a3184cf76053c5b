package dev.tally.testkit.stellar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/** Routes Horizon's REST endpoints to the fake ledger and answers in Horizon's JSON shapes. */
final class HorizonDispatcher extends Dispatcher {

    private final FakeLedger ledger;
    private final HorizonJson json;
    private final MockWebServer server;
    private final HorizonFaults faults;

    HorizonDispatcher(FakeLedger ledger, MockWebServer server, HorizonFaults faults) {
        this.ledger = ledger;
        this.server = server;
        this.faults = faults;
        String base = server.url("/").toString();
        this.json = new HorizonJson(base.substring(0, base.length() - 1));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        forgetRecordedRequests();
        HttpUrl url = request.getRequestUrl();
        List<String> path =
                url.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
        Duration retryAfter = faults.takeRateLimit();
        if (retryAfter != null) {
            return Problems.rateLimited(retryAfter);
        }
        try {
            if ("POST".equals(request.getMethod())) {
                return path.equals(List.of("transactions")) ? submit(request) : Problems.notFound();
            }
            if (!"GET".equals(request.getMethod())) {
                return Problems.notFound();
            }
            return get(url, path);
        } catch (PageRequest.BadRequest e) {
            return Problems.badRequest(e.field(), e.getMessage());
        }
    }

    /**
     * MockWebServer keeps every request it served for {@code takeRequest()}; nobody takes them here,
     * and a long-running fake (the local launcher's) polled every second would grow without bound.
     */
    private void forgetRecordedRequests() {
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // discarded: the ledger, not the request log, is the fake's record
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private MockResponse get(HttpUrl url, List<String> path) {
        if (path.isEmpty()) {
            return ok(json.root(ledger.network().getNetworkPassphrase(), ledger.latestLedger()));
        }
        String resource = path.get(0);
        return switch (path.size()) {
            case 1 ->
                switch (resource) {
                    case "payments" -> paymentsPage(url, ledger.payments());
                    case "transactions" -> transactionsPage(url, ledger.transactions());
                    case "fee_stats" -> ok(json.feeStats(ledger.latestLedger()));
                    default -> Problems.notFound();
                };
            case 2 ->
                switch (resource) {
                    case "accounts" ->
                        ledger.account(path.get(1))
                                .map(a -> ok(json.account(a)))
                                .orElseGet(Problems::notFound);
                    case "transactions" ->
                        ledger.transaction(path.get(1))
                                .map(t -> ok(json.transaction(t)))
                                .orElseGet(Problems::notFound);
                    default -> Problems.notFound();
                };
            case 3 -> nested(url, resource, path.get(1), path.get(2));
            default -> Problems.notFound();
        };
    }

    private MockResponse nested(HttpUrl url, String resource, String id, String collection) {
        if (resource.equals("accounts") && collection.equals("payments")) {
            return paymentsPage(
                    url, ledger.payments().stream().filter(p -> p.involves(id)).toList());
        }
        if (resource.equals("accounts") && collection.equals("transactions")) {
            return transactionsPage(
                    url,
                    ledger.transactions().stream()
                            .filter(t -> t.successful() && involves(t, id))
                            .toList());
        }
        if (resource.equals("transactions") && collection.equals("payments")) {
            return paymentsPage(
                    url,
                    ledger.payments().stream()
                            .filter(p -> p.transactionHash().equals(id))
                            .toList());
        }
        return Problems.notFound();
    }

    private boolean involves(AppliedTransaction tx, String accountId) {
        return tx.sourceAccount().equals(accountId)
                || ledger.payments().stream()
                        .anyMatch(p -> p.transactionHash().equals(tx.hash()) && p.involves(accountId));
    }

    private MockResponse paymentsPage(HttpUrl url, List<FakePayment> payments) {
        boolean join =
                List.of(String.valueOf(url.queryParameter("join")).split(",")).contains("transactions");
        return page(
                url,
                payments,
                FakePayment::id,
                p -> json.payment(
                        p, join ? ledger.transaction(p.transactionHash()).orElseThrow() : null));
    }

    private MockResponse transactionsPage(HttpUrl url, List<AppliedTransaction> transactions) {
        // Horizon lists only successful transactions unless include_failed=true.
        boolean includeFailed = "true".equals(url.queryParameter("include_failed"));
        List<AppliedTransaction> listed = transactions.stream()
                .filter(t -> includeFailed || t.successful())
                .toList();
        return page(url, listed, AppliedTransaction::id, json::transaction);
    }

    private <T> MockResponse page(HttpUrl url, List<T> all, ToLongFunction<T> id, Function<T, ObjectNode> render) {
        PageRequest request = PageRequest.from(url);
        List<T> selected = request.select(all, id);
        List<ObjectNode> records = new ArrayList<>();
        selected.forEach(r -> records.add(render.apply(r)));
        String next = url.toString();
        String prev = url.toString();
        if (!selected.isEmpty()) {
            String first = Long.toString(id.applyAsLong(selected.get(0)));
            String last = Long.toString(id.applyAsLong(selected.get(selected.size() - 1)));
            next = request.link(url, last, request.ascending()).toString();
            prev = request.link(url, first, !request.ascending()).toString();
        }
        return ok(json.page(records, url.toString(), next, prev));
    }

    private MockResponse submit(RecordedRequest request) {
        String envelope = formField(request.getBody().readUtf8(), "tx");
        if (envelope == null || envelope.isBlank()) {
            return Problems.badRequest("tx", "tx: missing the base64 transaction envelope");
        }
        HorizonFaults.Submission fault = faults.takeSubmission();
        if (fault == HorizonFaults.Submission.TIMEOUT_NOT_APPLIED) {
            return Problems.timeout();
        }
        SubmitOutcome outcome = ledger.submit(envelope);
        if (fault == HorizonFaults.Submission.APPLIED_THEN_TIMEOUT) {
            return Problems.timeout();
        }
        if (fault == HorizonFaults.Submission.APPLIED_THEN_DISCONNECT) {
            return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        return switch (outcome) {
            case SubmitOutcome.Applied applied -> ok(json.transaction(applied.transaction()));
            case SubmitOutcome.Failed failed ->
                Problems.transactionFailed(
                        failed.transaction().envelopeXdr(),
                        failed.transaction().resultXdr(),
                        "tx_failed",
                        failed.transaction().operationCodes());
            case SubmitOutcome.Refused refused ->
                Problems.transactionFailed(refused.envelopeXdr(), refused.resultXdr(), refused.transactionCode(), null);
            case SubmitOutcome.Malformed malformed -> Problems.transactionMalformed(envelope, malformed.detail());
        };
    }

    private static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static MockResponse ok(ObjectNode body) {
        return respond(200, "application/hal+json; charset=utf-8", body);
    }

    static MockResponse respond(int status, String contentType, ObjectNode body) {
        try {
            return new MockResponse()
                    .setResponseCode(status)
                    .setHeader("Content-Type", contentType)
                    .setBody(HorizonJson.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a Horizon response", e);
        }
    }
}
