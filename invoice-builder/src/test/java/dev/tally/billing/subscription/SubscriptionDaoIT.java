package dev.tally.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.BillingSettings;
import dev.tally.billing.cycle.BillingInterval;
import dev.tally.billing.cycle.Cancellation;
import dev.tally.billing.cycle.ItemBilling;
import dev.tally.billing.cycle.ItemChange;
import dev.tally.billing.cycle.SubscriptionFacts;
import dev.tally.platform.database.Migrations;
import dev.tally.testkit.TestPostgres;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/** {@link SubscriptionDao} on the real PostgreSQL: what it stores is the facts the pure model reads back. */
class SubscriptionDaoIT {

    private static final Instant START = Instant.parse("2026-11-10T09:00:00Z");
    private static final Instant ANCHOR = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TRIAL_END = Instant.parse("2026-11-17T09:00:00Z");
    private static final Instant MORE_SEATS = Instant.parse("2026-11-20T12:30:00Z");
    private static final Instant NO_SUPPORT = Instant.parse("2026-11-25T00:00:00Z");
    private static final Instant ASKED = Instant.parse("2026-11-26T08:00:00Z");
    private static final Instant CANCEL = Instant.parse("2027-01-01T00:00:00Z");

    private static Subscription subscription(String id, Instant cancelAt, boolean atPeriodEnd, Instant canceledAt) {
        return new Subscription(
                id,
                "org_1",
                false,
                "cus_1",
                null,
                "USD",
                "month",
                1,
                START,
                ANCHOR,
                TRIAL_END,
                cancelAt,
                atPeriodEnd,
                canceledAt,
                "Europe/Paris",
                1,
                null);
    }

    /** org_1's customer cus_1, a per_unit price of api_call and two monthly flat fees, in advance and in arrears. */
    private static BillingFixtures catalog() {
        BillingFixtures fixtures = BillingFixtures.migrated();
        fixtures.catalog("org_1", "cus_1", "c1", "api_call", "price_calls", new BigDecimal("0.01"));
        fixtures.jdbi().useHandle(h -> {
            h.execute("INSERT INTO billing.products (id, organization_id, livemode, type) VALUES"
                    + " ('prod_seats', 'org_1', false, 'recurring')");
            for (String[] price :
                    List.of(new String[] {"price_seats", "in_advance"}, new String[] {"price_support", "in_arrears"})) {
                h.execute(
                        "INSERT INTO billing.prices (id, organization_id, livemode, product_id, currency, model,"
                                + " definition) VALUES (?, 'org_1', false, 'prod_seats', 'USD', 'flat',"
                                + " jsonb_build_object('currency', 'USD', 'model', 'flat', 'flatAmount', '10.000000000',"
                                + " 'interval', 'month', 'intervalCount', 1, 'billingTiming', ?))",
                        price[0],
                        price[1]);
            }
        });
        return fixtures;
    }

    @Test
    void shouldLoadASubscriptionAsTheFactsItWasStoredWithEachItemBilledAsItsPrice() {
        BillingFixtures fixtures = catalog();

        SubscriptionFacts facts = fixtures.jdbi().withHandle(h -> {
            SubscriptionDao dao = h.attach(SubscriptionDao.class);
            dao.insert(subscription("sub_1", CANCEL, false, ASKED));
            dao.insertChange("sub_1", "si_calls", START, "price_calls", 1);
            dao.insertChange("sub_1", "si_seats", START, "price_seats", 3);
            dao.insertChange("sub_1", "si_support", START, "price_support", 1);
            dao.insertChange("sub_1", "si_seats", MORE_SEATS, "price_seats", 5);
            dao.insertChange("sub_1", "si_support", NO_SUPPORT, null, 0);
            return dao.facts("org_1", false, "sub_1").orElseThrow();
        });

        assertThat(facts)
                .isEqualTo(new SubscriptionFacts(
                        START,
                        ANCHOR,
                        TRIAL_END,
                        ZoneId.of("Europe/Paris"),
                        BillingInterval.every(BillingInterval.Unit.MONTH),
                        List.of(
                                ItemChange.set(START, "si_calls", "price_calls", ItemBilling.USAGE, 1),
                                ItemChange.set(START, "si_seats", "price_seats", ItemBilling.FLAT_IN_ADVANCE, 3),
                                ItemChange.set(START, "si_support", "price_support", ItemBilling.FLAT_IN_ARREARS, 1),
                                ItemChange.set(MORE_SEATS, "si_seats", "price_seats", ItemBilling.FLAT_IN_ADVANCE, 5),
                                ItemChange.removal(NO_SUPPORT, "si_support")),
                        Cancellation.at(CANCEL)));
        Optional<SubscriptionFacts> otherOrganization =
                fixtures.jdbi().withHandle(h -> h.attach(SubscriptionDao.class).facts("org_2", false, "sub_1"));
        assertThat(otherOrganization).isEmpty();
        Optional<SubscriptionFacts> live =
                fixtures.jdbi().withHandle(h -> h.attach(SubscriptionDao.class).facts("org_1", true, "sub_1"));
        assertThat(live).isEmpty();
    }

    @Test
    void shouldReadACancellationAtPeriodEndAsAskedAndReplaceAnItemsChangeOfTheSameSecond() {
        BillingFixtures fixtures = catalog();

        StoredSubscription stored = fixtures.jdbi().withHandle(h -> {
            SubscriptionDao dao = h.attach(SubscriptionDao.class);
            dao.insert(subscription("sub_2", ANCHOR, true, ASKED));
            dao.insertChange("sub_2", "si_seats", START, "price_seats", 3);
            dao.insertChange("sub_2", "si_seats", MORE_SEATS, "price_seats", 5);
            dao.deleteChangesAt("sub_2", MORE_SEATS, List.of("si_seats"));
            dao.insertChange("sub_2", "si_seats", MORE_SEATS, "price_seats", 7);
            return dao.load("org_1", false, "sub_2").orElseThrow();
        });

        assertThat(stored.facts().cancellation()).isEqualTo(Cancellation.atPeriodEnd(ASKED));
        assertThat(stored.subscription().customerExternalId()).isEqualTo("c1");
        assertThat(stored.subscription().version()).isEqualTo(1);
        assertThat(stored.facts().items())
                .containsExactly(
                        ItemChange.set(START, "si_seats", "price_seats", ItemBilling.FLAT_IN_ADVANCE, 3),
                        ItemChange.set(MORE_SEATS, "si_seats", "price_seats", ItemBilling.FLAT_IN_ADVANCE, 7));
        assertThat(stored.latestChangeAt()).isEqualTo(MORE_SEATS);
    }

    @Test
    void shouldMigrateASubscriptionOfTheOldModelIntoOneItemAtItsPriceFromItsCreation() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();
        Migrations.migrate(dataSource, BillingSettings.SCHEMA, "11");
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        Instant created = Instant.parse("2026-10-03T14:15:16.789123Z");
        jdbi.useHandle(h -> {
            BillingFixtures.on(jdbi).catalog("org_1", "cus_1", "c1", "api_call", "price_calls", BigDecimal.ONE);
            h.execute(
                    "INSERT INTO billing.subscriptions (id, organization_id, livemode, customer_id, price_id, product_id,"
                            + " created_at) VALUES ('sub_old', 'org_1', false, 'cus_1', 'price_calls', 'prod_price_calls', ?)",
                    Timestamp.from(created));
        });

        Migrations.migrate(dataSource, BillingSettings.SCHEMA);

        StoredSubscription stored = jdbi.withHandle(h ->
                h.attach(SubscriptionDao.class).load("org_1", false, "sub_old").orElseThrow());
        Instant start = created.truncatedTo(ChronoUnit.SECONDS);
        assertThat(stored.subscription().currency()).isEqualTo("USD");
        assertThat(stored.subscription().timeZone()).isEqualTo("UTC");
        assertThat(stored.facts().startAt()).isEqualTo(start);
        assertThat(stored.facts().interval()).isEqualTo(BillingInterval.every(BillingInterval.Unit.MONTH));
        assertThat(stored.facts().timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(stored.items()).singleElement().satisfies(item -> {
            assertThat(item.itemId()).startsWith("si_");
            assertThat(item.change())
                    .isEqualTo(ItemChange.set(start, item.itemId(), "price_calls", ItemBilling.USAGE, 1));
        });
    }
}
