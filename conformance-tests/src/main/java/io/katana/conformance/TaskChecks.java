package io.katana.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.katana.reactor.Reactor;
import io.katana.reactor.ReactorGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/** Reactors as executors: identity and threads, waking a sleeping loop, per-producer order. */
final class TaskChecks {

    private final Harness h;

    TaskChecks(Harness harness) {
        this.h = harness;
    }

    void reactorsKnowTheirThreadsAndGroup() {
        ReactorGroup group = h.openServer(config -> config.withThreads(3).withThreadNamePrefix("conformance-identity-"));
        assertThat(group.backend()).as("group.backend()").isEqualTo(h.serverProvider().name());
        List<Reactor> reactors = group.reactors();
        assertThat(reactors).as("reactors of a 3-thread group").hasSize(3).doesNotHaveDuplicates();
        Set<Thread> threads = new HashSet<>();
        for (Reactor reactor : reactors) {
            assertThat(reactor.group()).as(reactor.name() + ".group()").isSameAs(group);
            assertThat(reactor.inEventLoop()).as(reactor.name() + ".inEventLoop() on the test thread").isFalse();
            Thread thread = Waits.onLoop(reactor, () -> {
                assertThat(reactor.inEventLoop()).as("inEventLoop() inside execute").isTrue();
                for (Reactor other : reactors) {
                    if (other != reactor) {
                        assertThat(other.inEventLoop()).as(other.name() + ".inEventLoop() on " + reactor.name())
                                .isFalse();
                    }
                }
                return Thread.currentThread();
            });
            assertThat(thread.getName()).as("the thread's name is the reactor's name").isEqualTo(reactor.name());
            assertThat(reactor.name()).startsWith("conformance-identity-");
            threads.add(thread);
        }
        assertThat(threads).as("one thread per reactor").hasSize(3);
        Set<Reactor> visited = new HashSet<>();
        for (int i = 0; i < reactors.size(); i++) {
            visited.add(group.next());
        }
        assertThat(visited).as("three calls of next() in round-robin order").containsExactlyInAnyOrderElementsOf(reactors);
    }

    void executeWakesASleepingReactor() {
        Reactor reactor = h.server().reactors().getFirst();
        for (int round = 0; round < 5; round++) {
            Waits.sleep(Duration.ofMillis(150)); // long enough for an idle loop to block in its poll
            CountDownLatch ran = new CountDownLatch(1);
            reactor.execute(ran::countDown);
            Waits.await(ran, Duration.ofSeconds(5), "a task handed to an idle reactor (round " + round + ")");
        }
    }

    void executeFromEightThreadsKeepsEachProducersOrder() throws Exception {
        int producers = 8;
        int tasksEach = 5_000;
        Reactor reactor = h.server().reactors().getFirst();
        int[][] order = new int[producers][tasksEach];
        int[] ran = new int[producers];
        Set<String> threads = new HashSet<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(producers * tasksEach);
        CompletableFuture<List<String>> misplaced = new CompletableFuture<>();
        List<String> problems = new ArrayList<>();
        Waits.sleep(Duration.ofMillis(100)); // let the loop fall asleep, so the first task must wake it
        List<Future<Void>> submitters = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            submitters.add(h.background(() -> {
                start.await();
                for (int seq = 0; seq < tasksEach; seq++) {
                    int number = seq;
                    reactor.execute(() -> {
                        // Runs on the reactor thread only, so these plain fields need no locks.
                        if (!reactor.inEventLoop()) {
                            problems.add("task ran off the reactor thread: " + Thread.currentThread().getName());
                        }
                        threads.add(Thread.currentThread().getName());
                        order[producer][ran[producer]++] = number;
                        done.countDown();
                    });
                }
                return null;
            }));
        }
        start.countDown();
        Waits.await(done, "40,000 tasks from 8 threads");
        reactor.execute(() -> misplaced.complete(List.copyOf(problems)));
        assertThat(Waits.await(misplaced, "a final task")).isEmpty();
        for (Future<Void> submitter : submitters) {
            Harness.join(submitter, Waits.EVENT, "a submitting thread");
        }
        assertThat(threads).as("threads that ran the tasks").containsExactly(reactor.name());
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < tasksEach; i++) {
                if (order[p][i] != i) {
                    throw new AssertionError("producer " + p + "'s tasks ran out of order: task " + order[p][i]
                            + " ran as number " + i);
                }
            }
        }
    }
}
