package io.katana.reactor.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Argument checks shared by every way of opening a {@link FileRegion}, so each backend refuses the same
 * regions with the same words.
 *
 * <p><b>Threading:</b> stateless.
 */
public final class FileRegions {
    private FileRegions() {}

    /**
     * Checks the numbers of a region before any file is opened.
     *
     * @param position the first byte to send
     * @param count the bytes to send
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     */
    public static void checkArguments(long position, long count) {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("sendFile needs a position and a count of 0 or more, got position "
                    + position + " and count " + count);
        }
    }

    /**
     * Checks that a file of {@code size} bytes holds the region.
     *
     * @param file the file, for the message
     * @param size the file's size in bytes
     * @param position the first byte to send
     * @param count the bytes to send
     * @throws IOException naming the file, its size and the region, if it does not
     */
    public static void checkWithin(Path file, long size, long position, long count) throws IOException {
        if (position > size || count > size - position) {
            throw new IOException("cannot send bytes " + position + " to " + (position + count) + " of " + file
                    + ": it holds " + size + " bytes");
        }
    }
}
