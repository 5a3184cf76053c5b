package dev.tally.testkit.stellar;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeCreditAlphaNum;
import org.stellar.sdk.Memo;
import org.stellar.sdk.MemoHash;
import org.stellar.sdk.MemoId;
import org.stellar.sdk.MemoNone;
import org.stellar.sdk.MemoReturnHash;
import org.stellar.sdk.MemoText;

/**
 * Renders the fake's state in Horizon's JSON shapes (the fields the Stellar SDK's response classes
 * read, named as Horizon names them), with links absolute to the fake's base URL.
 */
final class HorizonJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;

    /** @param baseUrl the fake's base URL, without a trailing slash */
    HorizonJson(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    ObjectNode root(String passphrase, long latestLedger) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode links = root.putObject("_links");
        link(links, "account", "/accounts/{account_id}");
        link(links, "transaction", "/transactions/{hash}");
        link(links, "fee_stats", "/fee_stats");
        root.put("horizon_version", "fake-horizon");
        root.put("core_version", "fake-core");
        root.put("history_latest_ledger", latestLedger);
        root.put("core_latest_ledger", latestLedger);
        root.put("network_passphrase", passphrase);
        root.put("current_protocol_version", 21);
        root.put("core_supported_protocol_version", 21);
        return root;
    }

    ObjectNode account(FakeAccount account) {
        ObjectNode json = MAPPER.createObjectNode();
        ObjectNode links = json.putObject("_links");
        link(links, "self", "/accounts/" + account.id);
        link(links, "transactions", "/accounts/" + account.id + "/transactions");
        link(links, "payments", "/accounts/" + account.id + "/payments");
        json.put("id", account.id);
        json.put("account_id", account.id);
        json.put("sequence", Long.toString(account.sequence));
        json.put("subentry_count", account.subentries());
        json.put("last_modified_ledger", account.lastModifiedLedger);
        ObjectNode thresholds = json.putObject("thresholds");
        thresholds.put("low_threshold", 0).put("med_threshold", 0).put("high_threshold", 0);
        json.putObject("flags")
                .put("auth_required", false)
                .put("auth_revocable", false)
                .put("auth_immutable", false)
                .put("auth_clawback_enabled", false);
        ArrayNode balances = json.putArray("balances");
        account.trustlines.forEach((asset, line) -> {
            ObjectNode balance = balances.addObject();
            balance.put("balance", Amounts.format(line.balance));
            balance.put("limit", Amounts.format(line.limit));
            balance.put("buying_liabilities", "0.0000000").put("selling_liabilities", "0.0000000");
            balance.put("last_modified_ledger", account.lastModifiedLedger);
            balance.put("is_authorized", true).put("is_authorized_to_maintain_liabilities", true);
            asset(balance, asset);
        });
        balances.addObject()
                .put("balance", Amounts.format(account.nativeBalance))
                .put("buying_liabilities", "0.0000000")
                .put("selling_liabilities", "0.0000000")
                .put("asset_type", "native");
        json.putArray("signers")
                .addObject()
                .put("weight", 1)
                .put("key", account.id)
                .put("type", "ed25519_public_key");
        ObjectNode data = json.putObject("data");
        account.data.forEach(data::put);
        json.put("num_sponsoring", 0).put("num_sponsored", 0);
        json.put("paging_token", account.id);
        return json;
    }

    ObjectNode transaction(AppliedTransaction tx) {
        ObjectNode json = MAPPER.createObjectNode();
        ObjectNode links = json.putObject("_links");
        link(links, "self", "/transactions/" + tx.hash());
        link(links, "account", "/accounts/" + tx.sourceAccount());
        link(links, "payments", "/transactions/" + tx.hash() + "/payments");
        json.put("id", tx.hash());
        json.put("paging_token", Long.toString(tx.id()));
        json.put("successful", tx.successful());
        json.put("hash", tx.hash());
        json.put("ledger", tx.ledger());
        json.put("created_at", timestamp(tx.createdAt()));
        json.put("source_account", tx.sourceAccount());
        json.put("source_account_sequence", Long.toString(tx.sourceAccountSequence()));
        json.put("fee_account", tx.sourceAccount());
        json.put("fee_charged", Long.toString(tx.feeCharged()));
        json.put("max_fee", Long.toString(tx.maxFee()));
        json.put("operation_count", tx.operationCount());
        json.put("envelope_xdr", tx.envelopeXdr());
        json.put("result_xdr", tx.resultXdr());
        memo(json, tx.memo());
        ArrayNode signatures = json.putArray("signatures");
        tx.signatures().forEach(signatures::add);
        return json;
    }

    /** A payment-like operation, with its transaction embedded when {@code join=transactions}. */
    ObjectNode payment(FakePayment payment, AppliedTransaction tx) {
        ObjectNode json = MAPPER.createObjectNode();
        ObjectNode links = json.putObject("_links");
        link(links, "self", "/operations/" + payment.id());
        link(links, "transaction", "/transactions/" + payment.transactionHash());
        json.put("id", payment.pagingToken());
        json.put("paging_token", payment.pagingToken());
        json.put("transaction_successful", true);
        json.put("source_account", payment.from());
        json.put("type", payment.type());
        json.put("created_at", timestamp(payment.createdAt()));
        json.put("transaction_hash", payment.transactionHash());
        if ("create_account".equals(payment.type())) {
            json.put("type_i", 0);
            json.put("starting_balance", Amounts.format(payment.amount()));
            json.put("funder", payment.from());
            json.put("account", payment.to());
        } else {
            json.put("type_i", typeNumber(payment.type()));
            asset(json, payment.asset());
            json.put("from", payment.from());
            muxed(json, "from", payment.fromMuxed(), payment.fromMuxedId());
            json.put("to", payment.to());
            muxed(json, "to", payment.toMuxed(), payment.toMuxedId());
            json.put("amount", Amounts.format(payment.amount()));
            if (payment.pathPayment()) {
                json.put("source_amount", Amounts.format(payment.sourceAmount()));
                asset(json, "source_", payment.sourceAsset());
                json.putArray("path");
            }
        }
        if (tx != null) {
            json.set("transaction", transaction(tx));
        }
        return json;
    }

    /** A page of records with Horizon's self/next/prev links. */
    ObjectNode page(List<ObjectNode> records, String self, String next, String prev) {
        ObjectNode json = MAPPER.createObjectNode();
        ObjectNode links = json.putObject("_links");
        links.putObject("self").put("href", self);
        links.putObject("next").put("href", next);
        links.putObject("prev").put("href", prev);
        json.putObject("_embedded").putArray("records").addAll(records);
        return json;
    }

    ObjectNode feeStats(long latestLedger) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("last_ledger", Long.toString(latestLedger));
        json.put("last_ledger_base_fee", Long.toString(TransactionProcessor.BASE_FEE));
        json.put("ledger_capacity_usage", "0.01");
        distribution(json.putObject("fee_charged"));
        distribution(json.putObject("max_fee"));
        return json;
    }

    private static void distribution(ObjectNode json) {
        String fee = Long.toString(TransactionProcessor.BASE_FEE);
        for (String field : List.of(
                "min", "max", "mode", "p10", "p20", "p30", "p40", "p50", "p60", "p70", "p80", "p90", "p95", "p99")) {
            json.put(field, fee);
        }
    }

    /** Horizon's operation type numbers ({@code type_i}). */
    private static int typeNumber(String type) {
        return switch (type) {
            case "payment" -> 1;
            case "path_payment_strict_receive" -> 2;
            case "path_payment_strict_send" -> 13;
            default -> throw new IllegalArgumentException("not a payment type: " + type);
        };
    }

    private static void muxed(ObjectNode json, String side, String address, BigInteger id) {
        if (address != null) {
            json.put(side + "_muxed", address);
            json.put(side + "_muxed_id", id.toString());
        }
    }

    private static void asset(ObjectNode json, Asset asset) {
        asset(json, "", asset);
    }

    /** An asset's type, code and issuer, in fields named with {@code prefix} ({@code source_} for a path's). */
    private static void asset(ObjectNode json, String prefix, Asset asset) {
        json.put(prefix + "asset_type", asset.getType());
        if (asset instanceof AssetTypeCreditAlphaNum credit) {
            json.put(prefix + "asset_code", credit.getCode());
            json.put(prefix + "asset_issuer", credit.getIssuer());
        }
    }

    private static void memo(ObjectNode json, Memo memo) {
        switch (memo) {
            case MemoNone none -> json.put("memo_type", "none");
            case MemoText text -> {
                json.put("memo_type", "text");
                json.put("memo", text.getText());
                json.put("memo_bytes", Base64.getEncoder().encodeToString(text.getBytes()));
            }
            case MemoId id -> {
                json.put("memo_type", "id");
                json.put("memo", id.getId().toString());
            }
            case MemoHash hash -> {
                json.put("memo_type", "hash");
                json.put("memo", Base64.getEncoder().encodeToString(hash.getBytes()));
            }
            case MemoReturnHash hash -> {
                json.put("memo_type", "return");
                json.put("memo", Base64.getEncoder().encodeToString(hash.getBytes()));
            }
            default -> throw new IllegalStateException("unknown memo type " + memo.getClass());
        }
    }

    private void link(ObjectNode links, String name, String path) {
        ObjectNode link = links.putObject(name).put("href", baseUrl + path);
        if (path.contains("{")) {
            link.put("templated", true);
        }
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
