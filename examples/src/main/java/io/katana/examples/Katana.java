package io.katana.examples; /** Placeholder. */ public final class Katana { public static void main(String[] a) {} }
