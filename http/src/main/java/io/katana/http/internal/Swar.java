package io.katana.http.internal;

/**
 * Byte tests on eight bytes at once ("SIMD within a register"), for the parser's long runs of
 * ordinary text.
 *
 * <p><b>Threading:</b> stateless; safe from any thread.
 */
final class Swar {

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long DELS = 0x7f7f7f7f7f7f7f7fL;

    private Swar() {}

    /**
     * Whether none of the eight bytes is below 0x20 (a control byte, CR, LF or tab) or DEL (0x7f):
     * each is then a valid field-value byte other than whitespace tab. Bytes 0x80 and up (obs-text)
     * pass. Exact: no byte that fails is reported as passing.
     */
    static boolean isPlainText(long word) {
        long below = (word - SPACES) & ~word & HIGHS; // some byte < 0x20 (exact as a yes/no)
        long del = word ^ DELS;
        long hasDel = (del - ONES) & ~del & HIGHS; // some byte == 0x7f
        return (below | hasDel) == 0;
    }
}
