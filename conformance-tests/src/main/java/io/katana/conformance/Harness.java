package io.katana.conformance;

import io.katana.reactor.Connection;
import io.katana.reactor.ConnectOptions;
import io.katana.reactor.ConnectionHandler;
import io.katana.reactor.ListenOptions;
import io.katana.reactor.Listener;
import io.katana.reactor.ReactorConfig;
import io.katana.reactor.ReactorGroup;
import io.katana.reactor.spi.ReactorProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What one check works with: the server and client backends, the groups it opened, the raw peer
 * sockets and helper threads it started, and a seeded random source. {@link #close()} releases all
 * of it, peers first, so a check never leaves a thread or a socket behind, whatever happened.
 *
 * <p>Threading: used by the test thread only, except {@link #background}'s tasks.
 */
final class Harness implements AutoCloseable {

    /** Loopback, any free port: the only kind of address the suite binds. */
    static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static final AtomicInteger PEER_THREADS = new AtomicInteger();

    private final ReactorProvider serverProvider;
    private final ReactorProvider clientProvider;
    private final List<ReactorGroup> groups = new ArrayList<>();
    private final Deque<AutoCloseable> peers = new ArrayDeque<>();
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private ExecutorService background;
    private ReactorGroup server;
    private ReactorGroup client;
    private InetAddress loopback = InetAddress.getLoopbackAddress();

    Harness(ReactorProvider serverProvider, ReactorProvider clientProvider) {
        this.serverProvider = serverProvider;
        this.clientProvider = clientProvider;
    }

    ReactorProvider serverProvider() {
        return serverProvider;
    }

    ReactorProvider clientProvider() {
        return clientProvider;
    }

    /**
     * Makes {@link #listen} bind {@code address} (a loopback address, such as {@code ::1}) instead of
     * the default loopback address, for checks that run the same steps over IPv6.
     */
    Harness useLoopback(InetAddress address) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the suite binds loopback addresses only: " + address);
        }
        loopback = address;
        return this;
    }

    /** The seed of {@link #random()}, quoted in failure messages so a failure can be replayed. */
    long seed() {
        return seed;
    }

    Random random() {
        return random;
    }

    /** The check's server group (two reactors), opened on first use. */
    ReactorGroup server() {
        if (server == null) {
            server = openServer(config -> config);
        }
        return server;
    }

    /** The check's client group (two reactors), opened on first use. */
    ReactorGroup client() {
        if (client == null) {
            client = openClient(config -> config);
        }
        return client;
    }

    /** A further server-backend group, with the suite's defaults changed by {@code tweak}. */
    ReactorGroup openServer(UnaryOperator<ReactorConfig> tweak) {
        return open(serverProvider, tweak.apply(defaults("server")));
    }

    /** A further client-backend group, with the suite's defaults changed by {@code tweak}. */
    ReactorGroup openClient(UnaryOperator<ReactorConfig> tweak) {
        return open(clientProvider, tweak.apply(defaults("client")));
    }

    private static ReactorConfig defaults(String role) {
        return ReactorConfig.defaults().withThreads(2).withThreadNamePrefix("conformance-" + role + "-");
    }

    private ReactorGroup open(ReactorProvider provider, ReactorConfig config) {
        ReactorGroup group = provider.open(config);
        if (group == null) {
            throw new AssertionError(provider.name() + ".open(config) returned null");
        }
        groups.add(group);
        return group;
    }

    Listener listen(ReactorGroup group, Supplier<? extends ConnectionHandler> handlers) throws IOException {
        return listen(group, ListenOptions.DEFAULT, handlers);
    }

    Listener listen(ReactorGroup group, ListenOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        Listener listener = group.listen(new InetSocketAddress(loopback, 0), options, handlers);
        if (listener == null) {
            throw new AssertionError(group.backend() + " listen returned null");
        }
        return listener;
    }

    /** Connects from {@code group} and waits for the connection (after its {@code onOpen}). */
    Connection connect(ReactorGroup group, SocketAddress address, ConnectionHandler handler) {
        return connect(group, address, ConnectOptions.DEFAULT, handler);
    }

    Connection connect(ReactorGroup group, SocketAddress address, ConnectOptions options, ConnectionHandler handler) {
        CompletableFuture<Connection> future = group.connect(address, options, handler);
        return Waits.await(future, group.backend() + " connect to " + address);
    }

    /** A blocking peer connected to {@code address}, with bounded reads. Closed by {@link #close()}. */
    Socket rawClient(SocketAddress address) throws IOException {
        return rawClient(address, 0);
    }

    /** A blocking peer whose receive buffer is set (before connecting) to {@code receiveBufferSize}, if positive. */
    Socket rawClient(SocketAddress address, int receiveBufferSize) throws IOException {
        Socket socket = track(new Socket());
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.setSoTimeout((int) Waits.EVENT.toMillis());
        socket.setTcpNoDelay(true);
        socket.connect(address, (int) Waits.EVENT.toMillis());
        return socket;
    }

    /**
     * Connects blocking sockets to {@code address} until one gets no answer, which on Linux means the
     * listener's accept queue is full and further SYNs are dropped; the sockets close with the harness.
     *
     * @return whether the queue filled (false where connects keep succeeding or fail outright)
     */
    boolean fillAcceptQueue(InetSocketAddress address) {
        for (int i = 0; i < 16; i++) {
            Socket filler = track(new Socket());
            try {
                filler.connect(address, 300);
            } catch (SocketTimeoutException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** Closes {@code resource} in {@link #close()}, before the groups shut down. */
    <T extends AutoCloseable> T track(T resource) {
        peers.push(resource);
        return resource;
    }

    /** Runs {@code task} on a helper thread that {@link #close()} interrupts if it is still running. */
    <T> Future<T> background(Callable<T> task) {
        if (background == null) {
            background = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "conformance-peer-" + PEER_THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return background.submit(task);
    }

    /** Waits for a {@link #background} task and returns its result, failing with its failure. */
    static <T> T join(Future<T> task, Duration limit, String what) {
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            task.cancel(true);
            throw new AssertionError(what + ": did not finish within " + Waits.describe(limit));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw new AssertionError(what + ": failed with " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }

    /**
     * Closes the peers, stops the helper threads and shuts every group down, each wait bounded.
     *
     * @throws AssertionError if a group did not shut down in time or its shutdown failed
     */
    @Override
    public void close() {
        while (!peers.isEmpty()) {
            try {
                peers.pop().close();
            } catch (Exception ignored) {
                // A peer already closed or broken by the check is fine.
            }
        }
        if (background != null) {
            background.shutdownNow();
        }
        List<String> problems = new ArrayList<>();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ReactorGroup group : groups) {
            try {
                stops.add(group.shutdownGracefully(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                problems.add(group.backend() + " shutdownGracefully threw " + e);
                stops.add(CompletableFuture.completedFuture(null));
            }
        }
        long deadline = System.nanoTime() + Waits.SHUTDOWN.toNanos();
        for (int i = 0; i < stops.size(); i++) {
            try {
                stops.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                problems.add("a " + groups.get(i).backend() + " group did not shut down within "
                        + Waits.describe(Waits.SHUTDOWN));
            } catch (java.util.concurrent.ExecutionException e) {
                problems.add("a " + groups.get(i).backend() + " group's shutdown failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("interrupted while shutting down");
            }
        }
        if (background != null) {
            try {
                background.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        groups.clear();
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems));
        }
    }
}
