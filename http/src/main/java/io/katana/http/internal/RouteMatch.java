package io.katana.http.internal;

import java.util.Arrays;

/**
 * The outcome of routing one request, reused from request to request: the route found (or why none
 * was), and where the values of its path parameters lie in the request head.
 *
 * <p><b>Threading:</b> confined to one connection's reactor thread, then to its request.
 */
public final class RouteMatch {

    public static final int FOUND = 0;
    public static final int NOT_FOUND = 1;
    public static final int METHOD_NOT_ALLOWED = 2;
    public static final int OPTIONS = 3;
    public static final int NOT_IMPLEMENTED = 4;

    int outcome;
    Route route;
    String allow;
    Route routeAtPath;

    // Segment offsets of the path being routed, and which segments are parameter values. Sized for
    // usual paths and grown on demand: every keep-alive connection keeps one, idle or not.
    int[] segmentStarts = new int[8];
    int[] segmentEnds = new int[8];
    int segmentCount;
    int[] parameterSegments = new int[4];
    int tailParameter = -1; // the parameter that a final '*' matched, from its segment to the path's end

    public int outcome() {
        return outcome;
    }

    public Route route() {
        return route;
    }

    /** The Allow header value after {@link #METHOD_NOT_ALLOWED} or {@link #OPTIONS}. */
    public String allow() {
        return allow;
    }

    /**
     * A route of the request's path, after {@link #METHOD_NOT_ALLOWED} or {@link #OPTIONS}: its scope's
     * filters shape the answer.
     */
    public Route routeAtPath() {
        return routeAtPath;
    }

    /** Start offset (in the head) of the value of the route's {@code index}th parameter. */
    public int parameterStart(int index) {
        return segmentStarts[parameterSegments[index]];
    }

    /** End offset (in the head) of the value of the route's {@code index}th parameter. */
    public int parameterEnd(int index) {
        return index == tailParameter ? segmentEnds[segmentCount - 1] : segmentEnds[parameterSegments[index]];
    }

    void addSegment(int start, int end) {
        if (segmentCount == segmentStarts.length) {
            segmentStarts = Arrays.copyOf(segmentStarts, segmentCount * 2);
            segmentEnds = Arrays.copyOf(segmentEnds, segmentCount * 2);
        }
        segmentStarts[segmentCount] = start;
        segmentEnds[segmentCount] = end;
        segmentCount++;
    }

    void tailAt(int depth, int segment) {
        parameterAt(depth, segment);
        tailParameter = depth;
    }

    void parameterAt(int depth, int segment) {
        if (depth == parameterSegments.length) {
            parameterSegments = Arrays.copyOf(parameterSegments, depth * 2);
        }
        parameterSegments[depth] = segment;
    }
}
