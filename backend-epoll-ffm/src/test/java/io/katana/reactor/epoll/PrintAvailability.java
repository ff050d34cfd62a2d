package io.katana.reactor.epoll;

/** Child-JVM entry point for {@link AvailabilityWithoutNativeAccessTest}: prints the availability. */
final class PrintAvailability {
    private PrintAvailability() {}

    public static void main(String[] args) {
        System.out.println(new EpollReactorProvider().availability());
    }
}
