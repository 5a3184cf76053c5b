package dev.tally.platform.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void shouldHashAKeyToTheHexSha256OfItsUtf8Bytes() {
        // the standard SHA-256 test vector for "abc"
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldGiveTheSameHashOnEveryCallAndThreadThoughTheDigestIsReused() throws Exception {
        String key = ApiKeys.generate(true);
        String expected = ApiKeys.hash(key);
        assertThat(ApiKeys.hash(ApiKeys.generate(false))).isNotEqualTo(expected);
        assertThat(ApiKeys.hash(key)).isEqualTo(expected);
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<String>> hashes = IntStream.range(0, 1_000)
                    .mapToObj(i -> threads.submit(() -> ApiKeys.hash(i % 2 == 0 ? key : "other")))
                    .toList();
            for (int i = 0; i < hashes.size(); i++) {
                assertThat(hashes.get(i).get()).isEqualTo(i % 2 == 0 ? expected : ApiKeys.hash("other"));
            }
        }
    }
}
