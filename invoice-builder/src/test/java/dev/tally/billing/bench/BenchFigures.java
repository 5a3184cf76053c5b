package dev.tally.billing.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What every benchmark program reports beside its own figures: the machine's load, medians, the heap's peak. */
final class BenchFigures {

    private BenchFigures() {}

    /** The system load average of the last minute. */
    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * The CPU seconds (user and system) a process has used so far, from Linux's {@code /proc/<pid>/stat}: for a
     * PostgreSQL backend ({@code pg_backend_pid()}), the server's share of a query, which the JVM's CPU time
     * does not see. NaN where there is no such file.
     */
    static double processCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name, which is in parentheses and may hold spaces: utime and stime are
            // the 14th and 15th fields of the line, in clock ticks (100 per second on Linux)
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * The heap's peak over the timed part: the heap pools' peaks, reset after a GC at the start, and a thread
     * sampling the used heap every 50 ms; the larger of the two.
     */
    static final class HeapPeak {
        private final List<MemoryPoolMXBean> pools;
        private final AtomicLong sampled = new AtomicLong();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });

        private HeapPeak() {
            pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .toList();
            System.gc();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            sampler.scheduleAtFixedRate(
                    () -> sampled.accumulateAndGet(
                            ManagementFactory.getMemoryMXBean()
                                    .getHeapMemoryUsage()
                                    .getUsed(),
                            Math::max),
                    0,
                    50,
                    TimeUnit.MILLISECONDS);
        }

        static HeapPeak start() {
            return new HeapPeak();
        }

        long stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(1, TimeUnit.SECONDS);
            long pooled = pools.stream()
                    .mapToLong(pool -> pool.getPeakUsage().getUsed())
                    .sum();
            return Math.max(pooled, sampled.get());
        }
    }
}
