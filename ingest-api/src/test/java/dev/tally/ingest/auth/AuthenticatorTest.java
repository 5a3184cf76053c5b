package dev.tally.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.Settings;
import dev.tally.ingest.state.StateFeed;
import dev.tally.platform.apikey.ApiKeys;
import dev.tally.schemas.avro.ApiKeyRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    private final ApiKeyCache cache = new ApiKeyCache();
    private final FakeFeed feed = new FakeFeed();
    private final KeyUsageTracker usage = new KeyUsageTracker();
    private final Authenticator authenticator =
            new Authenticator(cache, feed, usage, Clock.fixed(NOW, ZoneOffset.UTC), Settings.defaults());

    private static final class FakeFeed implements StateFeed {
        boolean ready = true;
        Runnable onCatchUp = () -> {};

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public CompletableFuture<Void> catchUp() {
            onCatchUp.run();
            return CompletableFuture.completedFuture(null);
        }
    }

    private static ApiKeyRecord record(String key, List<String> scopes, Instant expiresAt, Instant revokedAt) {
        return new ApiKeyRecord(
                ApiKeys.hash(key),
                ApiKeys.displayPrefix(key),
                "org-1",
                ApiKeys.isLive(key),
                scopes,
                expiresAt,
                revokedAt,
                NOW);
    }

    private void known(ApiKeyRecord record, String key) {
        cache.apply(ApiKeys.hash(key), record);
    }

    private ApiKeyPrincipal authenticate(String header) {
        try {
            return authenticator.authenticate(header).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static ErrorCode codeOf(Throwable e) {
        return ((IngestException) e).code();
    }

    @Test
    void shouldAuthenticateAKnownKeyAsItsOrganizationAndMode() {
        String key = ApiKeys.generate(false);
        known(record(key, List.of("usage:write"), null, null), key);

        ApiKeyPrincipal principal = authenticate("Bearer " + key);

        assertThat(principal.organizationId()).isEqualTo("org-1");
        assertThat(principal.livemode()).isFalse();
        assertThat(principal.keyHash()).isEqualTo(ApiKeys.hash(key));
    }

    @Test
    void shouldNoteTheUseOfAValidKeyOnlyAndNotOfARevokedOne() {
        String valid = ApiKeys.generate(false);
        String revoked = ApiKeys.generate(false);
        known(record(valid, List.of("usage:write"), null, null), valid);
        known(record(revoked, List.of("usage:write"), null, NOW.minusSeconds(1)), revoked);

        authenticate("Bearer " + valid);
        assertThatThrownBy(() -> authenticate("Bearer " + revoked));

        assertThat(usage.pending()).singleElement().satisfies(use -> {
            assertThat(use.getKeyHash()).isEqualTo(ApiKeys.hash(valid));
            assertThat(use.getOrganizationId()).isEqualTo("org-1");
            assertThat(use.getLastUsedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void shouldAcceptTheSchemeInAnyCase() {
        String key = ApiKeys.generate(true);
        known(record(key, List.of("usage:write"), null, null), key);

        assertThat(authenticate("bearer " + key).livemode()).isTrue();
    }

    @Test
    void shouldAcceptTheKeyAsBasicUserNameLikeStripeClientsSendIt() {
        String key = ApiKeys.generate(true);
        known(record(key, List.of("usage:write"), null, null), key);
        String basic = java.util.Base64.getEncoder().encodeToString((key + ":").getBytes());

        assertThat(authenticate("Basic " + basic).organizationId()).isEqualTo("org-1");
    }

    @Test
    void shouldRejectAMissingOrMalformedKey() {
        assertThatThrownBy(() -> authenticate(null))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.MISSING_API_KEY));
        assertThatThrownBy(() -> authenticate("Token abc"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.MISSING_API_KEY));
        assertThatThrownBy(() -> authenticate("Basic dXNlcjpwYXNz"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_API_KEY));
        assertThatThrownBy(() -> authenticate("Bearer sk_nope"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_API_KEY));
    }

    @Test
    void shouldRejectAnUnknownKeyAfterCatchingUp() {
        String key = ApiKeys.generate(true);

        assertThatThrownBy(() -> authenticate("Bearer " + key))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_API_KEY));
    }

    @Test
    void shouldAcceptAKeyThatArrivesWhileCatchingUp() {
        String key = ApiKeys.generate(true);
        feed.onCatchUp = () -> known(record(key, List.of("usage:write"), null, null), key);

        assertThat(authenticate("Bearer " + key).organizationId()).isEqualTo("org-1");
    }

    @Test
    void shouldAnswerNotReadyWhileKeysAreLoading() {
        feed.ready = false;

        assertThatThrownBy(() -> authenticate("Bearer " + ApiKeys.generate(true)))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.NOT_READY));
    }

    @Test
    void shouldRejectARevokedExpiredOrUnscopedKey() {
        String key1 = ApiKeys.generate(true);
        known(record(key1, List.of("usage:write"), null, NOW.minusSeconds(1)), key1);
        String key2 = ApiKeys.generate(true);
        known(record(key2, List.of("usage:write"), NOW, null), key2);
        String key3 = ApiKeys.generate(true);
        known(record(key3, List.of("usage:read"), null, null), key3);

        assertThatThrownBy(() -> authenticate("Bearer " + key1))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.API_KEY_REVOKED));
        assertThatThrownBy(() -> authenticate("Bearer " + key2))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.API_KEY_EXPIRED));
        assertThatThrownBy(() -> authenticate("Bearer " + key3))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INSUFFICIENT_SCOPE));
    }

    @Test
    void shouldForgetAKeyOnATombstone() {
        String key = ApiKeys.generate(true);
        known(record(key, List.of("usage:write"), null, null), key);
        cache.apply(ApiKeys.hash(key), null);

        assertThatThrownBy(() -> authenticate("Bearer " + key))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_API_KEY));
    }
}
