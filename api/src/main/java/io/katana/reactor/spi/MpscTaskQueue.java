package io.katana.reactor.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An unbounded multi-producer, single-consumer FIFO of tasks (a linked queue in the style of
 * Vyukov's): producers swap the tail with one atomic exchange, the consumer walks from the head
 * without atomics. Each producer's tasks come out in the order it offered them.
 *
 * <p><b>Threading:</b> {@link #offer} from any thread; {@link #poll} and {@link #isEmpty} from the
 * consumer (the reactor thread) only.
 */
public final class MpscTaskQueue {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(MpscTaskQueue.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        Runnable task;
        volatile Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    /** Consumer only: the last consumed node (a stub at first). */
    private Node head;

    /** Producers exchange it; volatile so that {@link #isEmpty} sees the newest. */
    private volatile Node tail;

    /** Creates an empty queue. */
    public MpscTaskQueue() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    /**
     * Appends a task; safe from any thread, lock-free (one atomic exchange).
     *
     * @param task the task, not null
     */
    public void offer(Runnable task) {
        Node node = new Node(task);
        Node previous = (Node) TAIL.getAndSet(this, node);
        NEXT.setRelease(previous, node);
    }

    /**
     * Consumer only: takes the oldest task, or null when none is visible yet. A producer caught between
     * its exchange and its link makes this return null while {@link #isEmpty} is false: the consumer
     * then polls again without sleeping.
     *
     * @return the oldest task, or null
     */
    public Runnable poll() {
        Node next = (Node) NEXT.getAcquire(head);
        if (next == null) {
            return null;
        }
        Runnable task = next.task;
        next.task = null;
        head = next;
        return task;
    }

    /**
     * Consumer only: whether no task is queued. It reads the tail with a volatile load, so a consumer
     * that announced it is going to sleep (a volatile store) and then finds the queue empty cannot
     * miss a producer that offered before it checked for sleepers.
     *
     * @return true when no producer has offered a task the consumer has not taken
     */
    public boolean isEmpty() {
        return tail == head;
    }
}
