package io.katana.reactor.epoll;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Marks a test that makes Linux system calls itself (epoll, eventfd, accept4, /proc): elsewhere it is
 * skipped with this reason instead of failing. The conformance suite needs no mark: it skips an
 * unavailable backend with the backend's own reason.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledOnOs(value = OS.LINUX, disabledReason = "calls Linux system calls (epoll, eventfd, accept4) or reads /proc; "
        + "the epoll-ffm backend exists only on Linux")
public @interface LinuxOnly {}
