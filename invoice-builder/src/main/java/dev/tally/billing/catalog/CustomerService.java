package dev.tally.billing.catalog;

import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import dev.tally.billing.Ids;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * Creates, reads, changes and archives the customers of an organization, in one mode. A change
 * happens on the customer locked for update: it checks the version the caller expects, refuses
 * an archived customer, and counts a new version only when a field actually changes.
 */
@Singleton
public final class CustomerService {

    /** The unique index of the external id (V1) and of the active e-mail addresses (V9). */
    static final String EXTERNAL_ID_UNIQUE = "customers_organization_id_livemode_external_id_key";

    static final String EMAIL_UNIQUE = "customers_email_unique";

    private final BillingDatabase database;

    public CustomerService(BillingDatabase database) {
        this.database = database;
    }

    /** Creates customer {@code externalId}; 409 when the external id or the e-mail address is taken. */
    public Customer create(String organizationId, boolean livemode, String externalId, CustomerFields fields) {
        return database.jdbi()
                .inTransaction(handle -> unique(
                        () -> handle.attach(CustomerDao.class)
                                .insert(Ids.next("cus"), organizationId, livemode, externalId, fields),
                        externalId,
                        fields.email()));
    }

    public Customer customer(String organizationId, boolean livemode, String id) {
        return database.jdbi()
                .withHandle(handle -> handle.attach(CustomerDao.class).find(organizationId, livemode, id))
                .orElseThrow(() -> BillingException.notFound("customer " + id));
    }

    /** A page of customers (one extra row, see {@link PageRequest#probe()}), oldest first. */
    public List<Customer> customers(String organizationId, boolean livemode, CustomerQuery query, PageRequest page) {
        return database.jdbi().withHandle(handle -> {
            CustomerDao dao = handle.attach(CustomerDao.class);
            if (page.startingAfter() != null && !dao.exists(organizationId, livemode, page.startingAfter())) {
                throw Page.unknownCursor();
            }
            return dao.page(organizationId, livemode, query, page.startingAfter(), page.probe());
        });
    }

    /**
     * Applies {@code patch} to customer {@code id}, if it is at {@code expectedVersion} when one is
     * given (409 {@code version_conflict} otherwise). A patch that changes nothing leaves the
     * version and {@code updatedAt} as they are.
     */
    public Customer update(
            String organizationId, boolean livemode, String id, OptionalLong expectedVersion, CustomerPatch patch) {
        return database.jdbi().inTransaction(handle -> {
            CustomerDao dao = handle.attach(CustomerDao.class);
            Customer current = dao.findForUpdate(organizationId, livemode, id)
                    .orElseThrow(() -> BillingException.notFound("customer " + id));
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != current.version()) {
                throw new BillingException(
                        ErrorCode.VERSION_CONFLICT,
                        "customer " + id + " is at version " + current.version() + ", not "
                                + expectedVersion.getAsLong() + ": read it again and apply the change to it");
            }
            if (current.archived()) {
                throw archived(id, null);
            }
            CustomerFields next = patch.applyTo(current);
            if (next.equals(current.fields())) {
                return current;
            }
            return unique(() -> dao.update(id, next), current.externalId(), next.email());
        });
    }

    /**
     * Archives customer {@code id}: it stays readable by id, keeps its invoices and usage, and
     * takes no change or new subscription. Archiving it again answers it unchanged.
     */
    public Customer archive(String organizationId, boolean livemode, String id) {
        return database.jdbi().inTransaction(handle -> {
            CustomerDao dao = handle.attach(CustomerDao.class);
            Customer current = dao.findForUpdate(organizationId, livemode, id)
                    .orElseThrow(() -> BillingException.notFound("customer " + id));
            return current.archived() ? current : dao.archive(id).orElseThrow();
        });
    }

    /** The 409 for a change to, or a new subscription of ({@code field} naming it), an archived customer. */
    public static BillingException archived(String id, String field) {
        return new BillingException(
                ErrorCode.CUSTOMER_ARCHIVED, "customer " + id + " is archived: it is kept as a record only", field);
    }

    private static Customer unique(Supplier<Customer> write, String externalId, String email) {
        try {
            return write.get();
        } catch (JdbiException e) {
            String constraint = UniqueViolation.constraint(e).orElseThrow(() -> e);
            throw switch (constraint) {
                case EXTERNAL_ID_UNIQUE ->
                    new BillingException(
                            ErrorCode.ALREADY_EXISTS,
                            "a customer with externalId " + externalId + " exists",
                            "externalId");
                case EMAIL_UNIQUE ->
                    new BillingException(
                            ErrorCode.ALREADY_EXISTS, "an active customer with email " + email + " exists", "email");
                default -> e;
            };
        }
    }
}
