/**
 * Prices and their rating, pure (no I/O): a price's definition ({@link
 * dev.tally.billing.rating.PriceDefinition}, its {@link dev.tally.billing.rating.PriceModel}), the
 * checks that build one from request input ({@link dev.tally.billing.rating.PriceValidator}), and
 * the one function that rates a period of usage against it ({@link
 * dev.tally.billing.rating.PriceRater#rate}), which both the quote endpoint and invoice planning
 * call.
 */
package dev.tally.billing.rating;
