package dev.tally.billing.invoice;

import static dev.tally.billing.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Where the columns of {@link InvoiceDao#LINE_COLUMNS} are in a result set, and the line of a row. Found once
 * per result set ({@link #mapper()}), not by name on every row: the driver looks a name up in a map each
 * time, which a CSV export of millions of lines pays sixteen times per line.
 */
public final class LineColumns {

    private final int id;
    private final int invoiceId;
    private final int kind;
    private final int priceId;
    private final int featureKey;
    private final int quantity;
    private final int unitAmount;
    private final int amountMinor;
    private final int usageStart;
    private final int usageEnd;
    private final int previousQuantity;
    private final int eventCount;
    private final int description;
    private final int subscriptionId;
    private final int lineKey;
    private final int itemId;

    private LineColumns(ResultSet rs) throws SQLException {
        id = rs.findColumn("id");
        invoiceId = rs.findColumn("invoice_id");
        kind = rs.findColumn("kind");
        priceId = rs.findColumn("price_id");
        featureKey = rs.findColumn("feature_key");
        quantity = rs.findColumn("quantity");
        unitAmount = rs.findColumn("unit_amount");
        amountMinor = rs.findColumn("amount_minor");
        usageStart = rs.findColumn("usage_start");
        usageEnd = rs.findColumn("usage_end");
        previousQuantity = rs.findColumn("previous_quantity");
        eventCount = rs.findColumn("event_count");
        description = rs.findColumn("description");
        subscriptionId = rs.findColumn("subscription_id");
        lineKey = rs.findColumn("line_key");
        itemId = rs.findColumn("item_id");
    }

    /** The columns of {@code rs}, which selects {@link InvoiceDao#LINE_COLUMNS}. */
    public static LineColumns of(ResultSet rs) throws SQLException {
        return new LineColumns(rs);
    }

    /** A mapper of lines that finds the columns once per result set. */
    public static RowMapper<InvoiceLine> mapper() {
        return new RowMapper<>() {
            @Override
            public InvoiceLine map(ResultSet rs, StatementContext ctx) throws SQLException {
                return of(rs).line(rs);
            }

            @Override
            public RowMapper<InvoiceLine> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
                LineColumns columns = of(rs);
                return (row, c) -> columns.line(row);
            }
        };
    }

    /** The line of the current row of {@code rs}. */
    public InvoiceLine line(ResultSet rs) throws SQLException {
        LineKind lineKind = LineKind.of(rs.getString(kind));
        String subscription = rs.getString(subscriptionId);
        return new InvoiceLine(
                rs.getString(id),
                rs.getString(invoiceId),
                lineKind,
                rs.getString(priceId),
                rs.getString(featureKey),
                rs.getBigDecimal(quantity),
                rs.getBigDecimal(unitAmount),
                rs.getLong(amountMinor),
                lineKind.billsASpan() ? new UsagePeriod(instant(rs, usageStart), instant(rs, usageEnd)) : null,
                rs.getBigDecimal(previousQuantity),
                rs.getObject(eventCount, Long.class),
                rs.getString(description),
                subscription == null
                        ? null
                        : new InvoiceLine.SubscriptionLine(subscription, rs.getString(lineKey), rs.getString(itemId)));
    }
}
