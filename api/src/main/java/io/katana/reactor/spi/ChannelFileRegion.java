package io.katana.reactor.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link FileRegion} read through a {@link FileChannel}: what {@link AbstractConnection#openFile}
 * opens unless the backend opens files its own way. A backend on {@code java.nio} channels sends it
 * with {@link FileChannel#transferTo}.
 *
 * <p><b>Threading:</b> as {@link FileRegion}.
 */
public final class ChannelFileRegion extends FileRegion {
    private final FileChannel channel;

    private ChannelFileRegion(Path file, FileChannel channel, long position, long count) {
        super(file, position, count);
        this.channel = channel;
    }

    /**
     * Opens {@code file} for reading and checks that it holds the region.
     *
     * @param file the file to send from
     * @param position the first byte to send
     * @param count the bytes to send, at least 1
     * @return the region, owning the open file until {@link #release()}
     * @throws IOException if the file cannot be opened, is not a regular file, or is shorter than {@code
     *     position + count}
     */
    public static ChannelFileRegion open(Path file, long position, long count) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException("cannot send " + file + ": it is not a regular file");
            }
            FileRegions.checkWithin(file, channel.size(), position, count);
            return new ChannelFileRegion(file, channel, position, count);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** {@return the open file} The connection closes it on {@link #release()}. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    protected int read(ByteBuffer dst, long offset) throws IOException {
        return channel.read(dst, offset);
    }

    @Override
    protected void closeFile() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // A read-only file has nothing left to write back: a failed close loses nothing.
        }
    }
}
