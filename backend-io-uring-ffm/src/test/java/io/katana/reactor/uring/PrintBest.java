package io.katana.reactor.uring;

import io.katana.reactor.Reactors;

/** Prints the backend discovery picks and io_uring's availability; run in a child JVM by {@link UringAvailabilityTest}. */
final class PrintBest {
    private PrintBest() {}

    public static void main(String[] args) {
        System.out.println("best: " + Reactors.best().name());
        System.out.println("io_uring: " + new UringReactorProvider().availability());
    }
}
