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
}
