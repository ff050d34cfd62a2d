package io.katana.reactor.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
    private final BufferPool pool = new BufferPool(256, 4);
    private final OutboundQueue queue = new OutboundQueue();

    @Test
    void smallWritesShareAChunkAndLargeOnesSpanSeveral() {
        queue.append(ByteBuffer.wrap(new byte[10]), pool);
        queue.append(ByteBuffer.wrap(new byte[20]), pool);
        assertThat(queue.chunkCount()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(30);

        queue.append(ByteBuffer.wrap(new byte[600]), pool);
        assertThat(queue.chunkCount()).isEqualTo(3); // 256 + 256 + 118
        assertThat(queue.bytes()).isEqualTo(630);
        assertThat(queue.bytesInFirst(2)).isEqualTo(512);
    }

    @Test
    void consumingReturnsBytesInOrderAndEmptiedChunksToThePool() {
        byte[] data = new byte[1000];
        new Random(7).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        queue.append(src, pool);
        assertThat(src.hasRemaining()).isFalse();

        ByteBuffer out = ByteBuffer.allocate(1000);
        int step = 0;
        while (!queue.isEmpty()) {
            ByteBuffer first = queue.chunk(0).buffer();
            int n = Math.min(first.remaining(), 37 + step++ % 100); // uneven, like short socket writes
            ByteBuffer slice = first.duplicate();
            slice.limit(slice.position() + n);
            out.put(slice);
            queue.consume(n, pool);
        }

        assertThat(out.array()).isEqualTo(data);
        assertThat(queue.bytes()).isZero();
        assertThat(pool.pooled()).isEqualTo(4);
    }

    @Test
    void clearDropsEverythingAndKeepsNoChunk() {
        queue.append(ByteBuffer.wrap(new byte[700]), pool);
        queue.clear(pool);

        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
        assertThat(pool.pooled()).isEqualTo(3);
    }

    @Test
    void encodingWritesIntoTheTailChunkAndQueuesOnlyWhatTheEncoderWrote() {
        queue.append(ByteBuffer.wrap(new byte[] {1, 2, 3}), pool);
        int n = queue.encode(50, buffer -> buffer.put(new byte[] {4, 5}), pool);
        assertThat(n).isEqualTo(2);
        assertThat(queue.chunkCount()).as("encoded into the tail chunk").isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(5);
        ByteBuffer first = queue.chunk(0).buffer();
        assertThat(first.position()).isZero();
        assertThat(first.limit()).isEqualTo(5);
        assertThat(first.get(3)).isEqualTo((byte) 4);

        // Too little room left in the tail: a fresh chunk; larger than a chunk: a buffer of its own.
        queue.encode(252, buffer -> buffer.put(new byte[252]), pool);
        assertThat(queue.chunkCount()).isEqualTo(2);
        queue.encode(1000, buffer -> buffer.put(new byte[700]), pool);
        assertThat(queue.chunkCount()).isEqualTo(3);
        assertThat(queue.bytes()).isEqualTo(5 + 252 + 700);
    }

    @Test
    void anEncoderThatThrowsOrLeavesItsRoomQueuesNothing() {
        queue.append(ByteBuffer.wrap(new byte[] {1, 2, 3}), pool);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.encode(10, buffer -> {
            buffer.put((byte) 9);
            throw new IllegalArgumentException("boom");
        }, pool)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.encode(10, buffer -> buffer.position(0), pool))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.encode(10, buffer -> buffer.put((byte) 1).flip(), pool))
                .isInstanceOf(IllegalStateException.class);
        assertThat(queue.bytes()).isEqualTo(3);
        assertThat(queue.chunkCount()).isEqualTo(1);
        assertThat(queue.chunk(0).buffer().limit()).isEqualTo(3);
        assertThat(queue.encode(10, buffer -> {}, pool)).isZero();
        assertThat(queue.chunkCount()).isEqualTo(1);
    }

    @Test
    void sharedBuffersAreReferencedNeverAppendedToNorPooled() {
        ByteBuffer shared = ByteBuffer.allocateDirect(256).put(new byte[256]).flip().asReadOnlyBuffer();
        ByteBuffer caller = shared.duplicate();
        queue.appendShared(caller);
        assertThat(caller.hasRemaining()).isFalse();
        assertThat(queue.chunk(0).isShared()).isTrue();
        queue.append(ByteBuffer.wrap(new byte[] {7}), pool);
        assertThat(queue.chunkCount()).as("nothing appended to the shared buffer").isEqualTo(2);
        int pooled = pool.pooled();
        queue.consume(257, pool);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(pool.pooled()).as("only the pool's own chunk went back").isEqualTo(pooled + 1);
        assertThat(shared.position()).isZero();
    }

    @Test
    void aFileRegionSplitsTheQueueAndIsStagedInChunksBeforeItsLaterNeighbours() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("outbound-queue", ".bin");
        try {
            byte[] content = new byte[600];
            new Random(3).nextBytes(content);
            java.nio.file.Files.write(file, content);
            queue.append(ByteBuffer.wrap(new byte[] {'a'}), pool);
            queue.appendRegion(ChannelFileRegion.open(file, 50, 500));
            queue.append(ByteBuffer.wrap(new byte[] {'b'}), pool);
            assertThat(queue.bytes()).isEqualTo(502);
            assertThat(queue.leadingBuffers()).as("buffers before the region").isEqualTo(1);
            assertThat(queue.bytesInFirst(1)).isEqualTo(1);
            assertThat(queue.entryIsRegion(0)).isFalse();
            assertThat(queue.entryIsRegion(1)).as("what a backend asks before writing the buffer ahead of it").isTrue();
            assertThat(queue.entryIsRegion(2)).isFalse();

            ByteBuffer out = ByteBuffer.allocate(502);
            while (!queue.isEmpty()) {
                if (queue.headRegion() != null) {
                    queue.stageHeadRegion(pool);
                    continue;
                }
                ByteBuffer first = queue.chunk(0).buffer();
                out.put(first.duplicate());
                queue.consume(first.remaining(), pool);
            }
            ByteBuffer expected = ByteBuffer.allocate(502).put((byte) 'a').put(content, 50, 500).put((byte) 'b');
            assertThat(out.array()).isEqualTo(expected.array());
            assertThat(queue.bytes()).isZero();
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void consumingAndClearingReleaseFileRegions() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("outbound-queue", ".bin");
        try {
            java.nio.file.Files.write(file, new byte[100]);
            ChannelFileRegion sent = ChannelFileRegion.open(file, 0, 100);
            ChannelFileRegion dropped = ChannelFileRegion.open(file, 10, 20);
            queue.appendRegion(sent);
            queue.append(ByteBuffer.wrap(new byte[5]), pool);
            queue.appendRegion(dropped);
            queue.consume(40, pool);
            assertThat(sent.position()).isEqualTo(40);
            assertThat(sent.channel().isOpen()).isTrue();
            queue.consume(62, pool); // the rest of the first region and 2 of the 5 bytes
            assertThat(sent.channel().isOpen()).as("a region sent whole").isFalse();
            assertThat(queue.leadingBuffers()).isEqualTo(1);
            queue.clear(pool);
            assertThat(dropped.channel().isOpen()).as("a region dropped by clear").isFalse();
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.bytes()).isZero();
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void aFileThatEndsBeforeItsRegionFailsWhenStaged() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("outbound-queue", ".bin");
        try {
            java.nio.file.Files.write(file, new byte[1000]);
            queue.appendRegion(ChannelFileRegion.open(file, 0, 1000));
            try (var shrink = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                shrink.truncate(100);
            }
            queue.stageHeadRegion(pool); // 256 bytes asked, 100 there
            queue.consume(100, pool);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.stageHeadRegion(pool))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("truncated");
        } finally {
            queue.clear(pool);
            java.nio.file.Files.delete(file);
        }
    }
}
