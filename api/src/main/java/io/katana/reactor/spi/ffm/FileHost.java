package io.katana.reactor.spi.ffm;

/**
 * What an FFM reactor lends the {@link FfmFileRegion}s of its connections: its thread's file calls
 * and the way it closes a descriptor.
 *
 * <p><b>Threading:</b> as each method says.
 */
public interface FileHost {
    /** {@return whether the caller runs on this reactor's thread} */
    boolean inEventLoop();

    /**
     * {@return this reactor's file calls} Loop only. Made on first use, so a reactor that never sends
     * a file holds no memory for them.
     */
    FileCalls fileCalls();

    /** {@return the linked file functions, for calls made on another thread} Any thread. */
    FileCalls.Functions fileFunctions();

    /**
     * Closes {@code fd}, the descriptor of a file region, on whichever thread releases it. Must not
     * throw.
     *
     * @param fd the file's descriptor
     */
    void closeDescriptor(int fd);
}
