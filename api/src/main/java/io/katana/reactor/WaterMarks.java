package io.katana.reactor;

/**
 * Outbound queue thresholds of a connection: above {@code high} queued bytes the connection turns
 * unwritable; it turns writable again once the queue drains below {@code low}.
 *
 * @param low bytes below which an unwritable connection becomes writable again
 * @param high bytes above which a connection becomes unwritable
 */
public record WaterMarks(int low, int high) {

    /** 32 KiB low, 64 KiB high: the marks Netty users know. */
    public static final WaterMarks DEFAULT = new WaterMarks(32 * 1024, 64 * 1024);

    /**
     * Checks the marks.
     *
     * @param low bytes below which an unwritable connection becomes writable again
     * @param high bytes above which a connection becomes unwritable
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public WaterMarks {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException(
                    "water marks need 0 <= low <= high, got low=" + low + " high=" + high);
        }
    }
}
