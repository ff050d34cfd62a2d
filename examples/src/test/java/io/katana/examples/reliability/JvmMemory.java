package io.katana.examples.reliability;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server JVM's memory as {@code jcmd} reports it: the live heap (the class histogram's total, taken
 * after a full collection) and, when it runs with {@code -XX:NativeMemoryTracking=summary}, the
 * committed native memory of each category. Direct buffers and FFM segments land in NMT's "Other".
 *
 * @param liveHeapBytes bytes of live objects
 * @param nativeCommittedKib committed KiB per NMT category, in NMT's order (empty without NMT)
 */
record JvmMemory(long liveHeapBytes, Map<String, Long> heapBytesByClass, Map<String, Long> nativeCommittedKib) {
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern CATEGORY = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB");

    /** Measures {@code server} now (a full collection first, through the histogram). */
    static JvmMemory of(ServerProcess server, boolean withNative) throws IOException, InterruptedException {
        String histogram = server.jcmd("GC.class_histogram");
        Map<String, Long> byClass = new java.util.HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(histogram);
        while (row.find()) {
            byClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IOException("no total in the class histogram of " + server.pid());
        }
        Map<String, Long> categories = new LinkedHashMap<>();
        if (withNative) {
            Matcher category = CATEGORY.matcher(server.jcmd("VM.native_memory", "summary"));
            while (category.find()) {
                categories.put(category.group(1).trim(), Long.parseLong(category.group(2)));
            }
            if (categories.isEmpty()) {
                throw new IOException("no NMT categories: does the server run with -XX:NativeMemoryTracking=summary?");
            }
        }
        return new JvmMemory(Long.parseLong(total.group(1)), byClass, categories);
    }

    /** The classes whose live bytes grew most from {@code before} to this, as "class +bytes" lines. */
    java.util.List<String> largestGrowth(JvmMemory before, int count) {
        return heapBytesByClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.heapBytesByClass.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(count)
                .map(e -> e.getKey() + " +" + e.getValue())
                .toList();
    }

    /** Committed bytes of NMT's "Other" category: direct buffers and native segments. */
    long otherNativeBytes() {
        return nativeCommittedKib.getOrDefault("Other", 0L) * 1024;
    }
}
