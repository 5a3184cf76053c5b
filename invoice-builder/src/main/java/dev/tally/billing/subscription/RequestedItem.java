package dev.tally.billing.subscription;

/**
 * One item of a request, checked for its syntax: a new item ({@code id} null, {@code priceId} given), a
 * change of item {@code id} (a new price, a new quantity or both) or its removal ({@code deleted}).
 *
 * @param path the prefix of its fields in errors: {@code items[1].}, or nothing for the shorthand {@code
 *     {"customer","price"}}
 * @param quantity null when not given: 1 for a new item, the item's own for a change
 */
record RequestedItem(String path, String id, String priceId, Long quantity, boolean deleted) {

    /** The path of field {@code name} of this item, such as {@code items[1].price}. */
    String field(String name) {
        return path + name;
    }
}
