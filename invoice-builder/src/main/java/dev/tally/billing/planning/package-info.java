/**
 * Invoice planning, pure (no clock, no I/O): {@link dev.tally.billing.planning.InvoicePlanner#plan} turns a
 * subscription's {@link dev.tally.billing.cycle.SubscriptionTimeline timeline}, its prices, the ledger's usage
 * and the lines already invoiced into the draft lines billable by {@code asOf}; {@link
 * dev.tally.billing.planning.InvoicePlanner#nextDueAt} tells when to plan again. The writer loads, plans and
 * stores the lines; the rules live here.
 *
 * <h2>Billable by {@code asOf}</h2>
 * <ul>
 *   <li>A flat fee's line is billable at its {@code billableAt} (inclusive): an in-advance fee when its span
 *       starts, a proration pair or a cancellation credit at the change, an in-arrears fee when the billed part
 *       of the period ends. Prorations are by the second, as {@link dev.tally.billing.cycle.SubscriptionTimeline}
 *       defines them; nothing during a trial, before the start or after the cancellation, nothing for quantity 0.
 *   <li>A usage span's line is billable once the span has ended (its end at or before {@code asOf}); whether
 *       its usage is final by then is the caller's to know (plan no later than the finality watermark).
 * </ul>
 *
 * <h2>Usage is rated by {@link dev.tally.billing.rating.PriceRater#rate}</h2>
 * Each usage span (the billed part of a period, cut where the item's price changes) is rated as one period:
 * free units, the minimum and the maximum apply to each span on its own. The line's {@code amountMinor} is the
 * rating's, so a quote of the same quantity says exactly what the line says. A span with no usage bills
 * nothing unless its price charges for nothing (a minimum, a first tier's flat fee): then it bills that.
 *
 * <h2>Money</h2>
 * Every line is rounded once, HALF_EVEN, to the currency's minor unit ({@link
 * dev.tally.schemas.rules.Currencies}); a plan's total is the sum of its lines' {@code amountMinor}, never a
 * rounding of a sum.
 *
 * <h2>Keys, idempotence and adjustments</h2>
 * Every line has a stable key ({@link dev.tally.billing.planning.PlannedLine#key()}) for a UNIQUE constraint.
 * For each key billable by {@code asOf}, the planner compares what the facts say it bills (quantity, events,
 * amount) with what its invoiced lines stand at (the latest one's quantity and events, the sum of their
 * amounts; nothing invoiced stands at zero):
 * <ul>
 *   <li>equal: no line, so planning again with its own lines as invoiced gives nothing;
 *   <li>never invoiced: the line itself;
 *   <li>invoiced and different (usage restated after it was invoiced, a late change of quantity): one
 *       adjustment line of the difference between what the key now bills and what its lines billed (may be
 *       negative), naming the key; a span is never billed twice.
 * </ul>
 * An invoiced key the facts no longer imply at all (a backdated change or cancellation replaced it) is
 * adjusted to zero. An invoiced key the facts imply but not yet by {@code asOf} is left alone.
 */
package dev.tally.billing.planning;
