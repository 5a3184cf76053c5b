package dev.tally.billing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tally.billing.BillingFixtures;
import dev.tally.billing.invoice.PaymentTerms;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link CustomerDao} and the V9 rules of the customers table, on the real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerDaoIT {

    private static final CustomerQuery ACTIVE = new CustomerQuery(false, null, null, null, null);

    private Jdbi jdbi;
    private CustomerDao dao;

    @BeforeAll
    void migrate() {
        jdbi = BillingFixtures.migrated().jdbi();
        dao = jdbi.onDemand(CustomerDao.class);
        jdbi.useHandle(h -> {
            h.execute(
                    "INSERT INTO billing.organizations (id, name, time_zone) VALUES ('org_tokyo', 'T', 'Asia/Tokyo')");
            h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_other', 'O')");
        });
    }

    private static CustomerFields fields(String email, String timeZone) {
        return new CustomerFields(null, email, null, timeZone, null, Map.of(), Map.of(), null);
    }

    @Test
    void shouldGiveACustomerWithoutAZoneItsOrganizationsZone() {
        Customer defaulted = dao.insert("cus_z1", "org_tokyo", false, "zone-1", fields(null, null));
        Customer own = dao.insert("cus_z2", "org_tokyo", false, "zone-2", fields(null, "Europe/Paris"));
        jdbi.useHandle(h -> h.execute("INSERT INTO billing.customers (id, organization_id, livemode, external_id)"
                + " VALUES ('cus_z3', 'org_tokyo', false, 'zone-3')"));

        assertThat(defaulted.timeZone()).isEqualTo("Asia/Tokyo");
        assertThat(own.timeZone()).isEqualTo("Europe/Paris");
        assertThat(dao.find("org_tokyo", false, "cus_z3").orElseThrow().timeZone())
                .isEqualTo("Asia/Tokyo");
        assertThat(dao.insert("cus_z4", "org_other", false, "zone-4", fields(null, null))
                        .timeZone())
                .isEqualTo("UTC");
    }

    @Test
    void shouldStoreEveryFieldAndReadTheMetadataBackAsObjects() {
        CustomerFields all = new CustomerFields(
                "Ada",
                "ada@example.com",
                "+14155550123",
                "Europe/London",
                "GBP",
                Map.of("plan", "gold", "quote\"d", "back\\slash"),
                Map.of("crm", "42"),
                PaymentTerms.NET_60);

        Customer created = dao.insert("cus_all", "org_other", true, "all-fields", all);

        assertThat(created.fields()).isEqualTo(all);
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.livemode()).isTrue();
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(created.archivedAt()).isNull();
        assertThat(dao.find("org_other", true, "cus_all")).contains(created);
        String stored = jdbi.withHandle(
                h -> h.createQuery("SELECT jsonb_typeof(app_metadata) FROM billing.customers WHERE id = 'cus_all'")
                        .mapTo(String.class)
                        .one());
        assertThat(stored).isEqualTo("object");
    }

    @Test
    void shouldCountOneVersionPerUpdateAndPerArchivalAndArchiveOnce() {
        Customer created = dao.insert("cus_v", "org_other", false, "versions", fields(null, null));

        Customer updated = dao.update("cus_v", fields("v@example.com", "UTC"));
        Customer archived = dao.archive("cus_v").orElseThrow();

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.email()).isEqualTo("v@example.com");
        assertThat(updated.updatedAt()).isAfter(created.updatedAt());
        assertThat(archived.version()).isEqualTo(3);
        assertThat(archived.archivedAt()).isEqualTo(archived.updatedAt());
        assertThat(dao.archive("cus_v")).isEmpty();
        assertThat(dao.find("org_other", false, "cus_v")).contains(archived);
    }

    @Test
    void shouldKeepOneActiveCustomerPerAddressIgnoringCaseAndFreeItOnArchival() {
        dao.insert("cus_e1", "org_other", false, "email-1", fields("Bob@example.com", null));

        JdbiException taken = catchThrowableOfType(
                JdbiException.class,
                () -> dao.insert("cus_e2", "org_other", false, "email-2", fields("bob@EXAMPLE.com", null)));
        Customer otherMode = dao.insert("cus_e3", "org_other", true, "email-3", fields("bob@example.com", null));
        Customer otherOrganization =
                dao.insert("cus_e4", "org_tokyo", false, "email-4", fields("bob@example.com", null));
        dao.archive("cus_e1");
        Customer afterArchival = dao.insert("cus_e5", "org_other", false, "email-5", fields("bob@example.com", null));

        assertThat(UniqueViolation.constraint(taken)).contains(CustomerService.EMAIL_UNIQUE);
        assertThat(List.of(otherMode, otherOrganization, afterArchival))
                .extracting(Customer::email)
                .containsOnly("bob@example.com");
    }

    @Test
    void shouldNeverReuseAnExternalIdNotEvenOfAnArchivedCustomer() {
        dao.insert("cus_x1", "org_other", false, "once", fields(null, null));
        dao.archive("cus_x1");

        JdbiException taken = catchThrowableOfType(
                JdbiException.class, () -> dao.insert("cus_x2", "org_other", false, "once", fields(null, null)));

        assertThat(UniqueViolation.constraint(taken)).contains(CustomerService.EXTERNAL_ID_UNIQUE);
    }

    @Test
    void shouldPageOneOrganizationAndModeOldestFirstByItsFilters() {
        jdbi.useHandle(h -> h.execute("INSERT INTO billing.organizations (id, name) VALUES ('org_pages', 'P')"));
        Customer first = dao.insert("cus_p1", "org_pages", false, "p1", fields("one@example.com", null));
        Customer second = dao.insert("cus_p2", "org_pages", false, "p2", fields(null, null));
        Customer third = dao.insert("cus_p3", "org_pages", false, "p3", fields("three@example.com", null));
        Customer archived = dao.insert("cus_p4", "org_pages", false, "p4", fields(null, null));
        dao.archive("cus_p4");
        dao.insert("cus_p5", "org_pages", true, "p5", fields(null, null));

        assertThat(ids(dao.page("org_pages", false, ACTIVE, null, 10))).containsExactly("cus_p1", "cus_p2", "cus_p3");
        assertThat(ids(dao.page("org_pages", false, ACTIVE, "cus_p1", 1))).containsExactly("cus_p2");
        assertThat(ids(dao.page("org_pages", false, new CustomerQuery(true, null, null, null, null), null, 10)))
                .containsExactly(archived.id());
        assertThat(ids(dao.page(
                        "org_pages", false, new CustomerQuery(false, "THREE@example.com", null, null, null), null, 10)))
                .containsExactly(third.id());
        assertThat(ids(dao.page("org_pages", false, new CustomerQuery(false, null, "p2", null, null), null, 10)))
                .containsExactly(second.id());
        assertThat(ids(dao.page(
                        "org_pages",
                        false,
                        new CustomerQuery(false, null, null, first.createdAt(), third.createdAt()),
                        null,
                        10)))
                .containsExactly(second.id());
        assertThat(ids(dao.page("org_pages", true, ACTIVE, null, 10))).containsExactly("cus_p5");
        assertThat(dao.exists("org_pages", false, "cus_p1")).isTrue();
        assertThat(dao.exists("org_pages", true, "cus_p1")).isFalse();
        assertThat(dao.exists("org_other", false, "cus_p1")).isFalse();
    }

    @Test
    void shouldFindACustomerOnlyInItsOrganizationAndMode() {
        dao.insert("cus_iso", "org_other", false, "isolated", fields(null, null));

        assertThat(dao.find("org_other", false, "cus_iso")).isPresent();
        assertThat(dao.find("org_other", true, "cus_iso")).isEmpty();
        assertThat(dao.find("org_tokyo", false, "cus_iso")).isEmpty();
        assertThat(dao.findForUpdate("org_tokyo", false, "cus_iso")).isEmpty();
        assertThat(dao.findByIdOrExternalId("org_other", false, "isolated")).isPresent();
        assertThat(dao.findByIdOrExternalId("org_tokyo", false, "isolated")).isEmpty();
        assertThat(dao.findByIdOrExternalId("org_other", true, "cus_iso")).isEmpty();
    }

    @Test
    void shouldPreferTheIdWhenAnExternalIdLooksLikeAnotherCustomersId() {
        dao.insert("cus_real", "org_tokyo", false, "someone", fields(null, null));
        dao.insert("cus_lookalike", "org_tokyo", false, "cus_real", fields(null, null));

        assertThat(dao.findByIdOrExternalId("org_tokyo", false, "cus_real")
                        .orElseThrow()
                        .externalId())
                .isEqualTo("someone");
    }

    private static List<String> ids(List<Customer> customers) {
        return customers.stream().map(Customer::id).toList();
    }
}
