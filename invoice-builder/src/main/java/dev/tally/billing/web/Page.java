package dev.tally.billing.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingException;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: {@code {"data":[…],"hasMore":bool}}. The next page is asked for with
 * {@code startingAfter} = the id of the last item of {@code data}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Page<T>(List<T> data, boolean hasMore) {

    /**
     * The page of {@code rows}, read with {@link PageRequest#probe()} (one more than the page), each
     * shown by {@code view}.
     */
    public static <R, T> Page<T> of(List<R> rows, PageRequest page, Function<R, T> view) {
        boolean more = rows.size() > page.limit();
        List<R> shown = more ? rows.subList(0, page.limit()) : rows;
        return new Page<>(shown.stream().map(view).toList(), more);
    }

    /** The 400 for a {@code startingAfter} that names no item of the list. */
    public static BillingException unknownCursor() {
        return BillingException.invalid("startingAfter", "startingAfter must be the id of an item of this list");
    }
}
