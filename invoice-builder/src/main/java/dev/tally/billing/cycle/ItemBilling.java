package dev.tally.billing.cycle;

/** How a subscription item's price is billed over the periods; a fact of the (immutable) price. */
public enum ItemBilling {
    /** A flat fee (× quantity) billed at the start of each period for the period ahead: the default for flat prices. */
    FLAT_IN_ADVANCE,
    /** A flat fee (× quantity) billed at the end of each period for the time the item was held. */
    FLAT_IN_ARREARS,
    /** Usage, always billed in arrears, for the parts of the period in which the item was held. */
    USAGE;

    boolean isFlat() {
        return this != USAGE;
    }
}
