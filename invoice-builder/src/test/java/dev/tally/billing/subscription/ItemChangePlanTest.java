package dev.tally.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import dev.tally.billing.cycle.ItemBilling;
import dev.tally.billing.cycle.ItemChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request's items applied to a history at one instant.
 *
 * <pre>
 *  seats   ├── basic × 2 ──────────┼── pro × 2 (price changed, seats kept)
 *  calls   ├── usage ──────────────┼── (removed)
 *          START                   AT
 * </pre>
 */
class ItemChangePlanTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant AT = Instant.parse("2026-11-15T12:00:00Z");

    private static final Map<String, SubscribablePrice> PRICES = Map.of(
            "basic", flat("basic"),
            "pro", flat("pro"),
            "calls",
                    new SubscribablePrice(
                            "calls",
                            "prod_calls",
                            "metered",
                            true,
                            "api_call",
                            "USD",
                            "per_unit",
                            "month",
                            1,
                            "in_arrears"));

    private static final List<ItemChange> RECORDED = List.of(
            ItemChange.set(START, "si_seats", "basic", ItemBilling.FLAT_IN_ADVANCE, 2),
            ItemChange.set(START, "si_calls", "calls", ItemBilling.USAGE, 1));

    private static SubscribablePrice flat(String id) {
        return new SubscribablePrice(
                id, "prod_seats", "recurring", true, null, "USD", "flat", "month", 1, "in_advance");
    }

    private static RequestedItem change(int index, String id, String price, Long quantity) {
        return new RequestedItem("items[" + index + "].", id, price, quantity, false);
    }

    private static RequestedItem removal(int index, String id) {
        return new RequestedItem("items[" + index + "].", id, null, null, true);
    }

    @Test
    void shouldKeepAnItemsQuantityWhenItsPriceChangesAndRemoveAnotherFromTheSameInstant() {
        ItemChangePlan plan = ItemChangePlan.of(
                RECORDED, AT, List.of(change(0, "si_seats", "pro", null), removal(1, "si_calls")), PRICES);

        assertThat(plan.written())
                .containsExactly(
                        ItemChange.set(AT, "si_seats", "pro", ItemBilling.FLAT_IN_ADVANCE, 2),
                        ItemChange.removal(AT, "si_calls"));
        assertThat(plan.replaced()).isEmpty();
        assertThat(plan.history()).hasSize(4);
    }

    @Test
    void shouldReplaceAnItemsChangeOfTheSameSecondAndLeaveNoTraceOfAnItemAddedAndRemovedThen() {
        ItemChangePlan added = ItemChangePlan.of(
                RECORDED, AT, List.of(change(0, null, "pro", 4L), change(1, "si_seats", null, 3L)), PRICES);
        String newItem = added.written().getFirst().itemId();
        List<ItemChange> recorded = added.history();

        ItemChangePlan again =
                ItemChangePlan.of(recorded, AT, List.of(removal(0, newItem), change(1, "si_seats", null, 5L)), PRICES);

        assertThat(newItem).startsWith("si_");
        assertThat(again.replaced()).containsExactlyInAnyOrder(newItem, "si_seats");
        assertThat(again.written())
                .containsExactly(ItemChange.set(AT, "si_seats", "basic", ItemBilling.FLAT_IN_ADVANCE, 5));
        assertThat(again.history())
                .containsExactlyInAnyOrder(
                        RECORDED.get(0),
                        RECORDED.get(1),
                        ItemChange.set(AT, "si_seats", "basic", ItemBilling.FLAT_IN_ADVANCE, 5));
    }

    @Test
    void shouldRefuseAnItemTheSubscriptionDoesNotHoldOrOneNamedTwice() {
        List<ItemChange> removed =
                List.of(RECORDED.get(0), RECORDED.get(1), ItemChange.removal(START.plusSeconds(60), "si_calls"));

        assertThatThrownBy(() -> ItemChangePlan.of(removed, AT, List.of(change(0, "si_calls", "calls", null)), PRICES))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("items[0].id"));
        assertThatThrownBy(() -> ItemChangePlan.of(
                        RECORDED,
                        AT,
                        List.of(change(0, "si_seats", null, 1L), change(1, "si_seats", null, 2L)),
                        PRICES))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("items[1].id"));
    }

    @Test
    void shouldRefuseAQuantityOnAUsageItem() {
        assertThatThrownBy(() -> ItemChangePlan.of(RECORDED, AT, List.of(change(0, "si_calls", null, 3L)), PRICES))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("items[0].quantity"));
    }
}
