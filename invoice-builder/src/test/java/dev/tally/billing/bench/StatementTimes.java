package dev.tally.billing.bench;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Where a benchmark's database time goes: the time JDBI measured for each statement, summed by the statement's
 * first 90 characters (its kind, whatever it binds).
 */
final class StatementTimes implements SqlLogger {

    private record Total(LongAdder nanos, LongAdder count) {}

    private final Map<String, Total> totals = new ConcurrentHashMap<>();

    @Override
    public void logAfterExecution(StatementContext context) {
        String sql = context.getRenderedSql();
        if (sql == null) {
            return;
        }
        String kind = sql.replaceAll("\\s+", " ");
        Total total = totals.computeIfAbsent(
                kind.substring(0, Math.min(90, kind.length())), k -> new Total(new LongAdder(), new LongAdder()));
        total.nanos().add(context.getElapsedTime(ChronoUnit.NANOS));
        total.count().increment();
    }

    /** Prints the {@code limit} kinds that took longest, and forgets them all. */
    void print(PrintStream out, int limit) {
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(
                        b.getValue().nanos().sum(), a.getValue().nanos().sum()))
                .limit(limit)
                .forEach(entry -> out.printf(
                        "%8.0f ms %7d x  %s%n",
                        entry.getValue().nanos().sum() / 1e6,
                        entry.getValue().count().sum(),
                        entry.getKey()));
        totals.clear();
    }
}
