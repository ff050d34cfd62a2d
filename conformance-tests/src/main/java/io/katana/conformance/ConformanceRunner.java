package io.katana.conformance; /** Placeholder. */ public final class ConformanceRunner { private ConformanceRunner() {} }
