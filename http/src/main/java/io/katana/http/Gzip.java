package io.katana.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * When responses are compressed with gzip ({@link HttpServer.Builder#gzip}): a response is
 * compressed when the client accepts gzip ({@code Accept-Encoding}, q-values honoured: {@code
 * gzip;q=0} means no), its {@code Content-Type} is in the list, its body is at least the size floor,
 * it has no {@code Content-Encoding} yet, and it is not an answer to HEAD nor a 204 or 304. It then
 * gets {@code Content-Encoding: gzip}, and a strong {@code ETag} becomes weak, as nginx does. Every
 * response whose type and size qualify gets {@code Vary: Accept-Encoding}, compressed or not, so
 * caches keep both forms apart.
 *
 * <p>A streamed response ({@link HttpResponse#stream()}) has no length when its head is sent, so the
 * size floor does not apply to it: it is compressed when its type qualifies, and every write is
 * flushed through the compressor so the client gets it at once.
 *
 * <p>Compression is off unless the builder asks for it, as in Helidon and Vert.x: it costs CPU on
 * every qualifying response, and a proxy in front often does it already.
 *
 * <p><b>Threading:</b> immutable; safe to share between threads. The {@link Builder} is not
 * thread-safe.
 */
public final class Gzip {

    /** The default size floor: below about 1 KiB gzip's header and trailer eat most of the gain. */
    public static final int DEFAULT_MIN_SIZE = 1024;

    private static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json",
            "application/javascript", "application/xml", "application/xhtml+xml", "application/problem+json",
            "application/ld+json", "application/manifest+json", "image/svg+xml");

    private static final Gzip DEFAULTS = builder().build();

    private final int minSize;
    private final int level;
    private final List<String> contentTypes;

    private Gzip(Builder builder) {
        this.minSize = builder.minSize;
        this.level = builder.level;
        this.contentTypes = List.copyOf(builder.contentTypes);
    }

    /**
     * {@return compression with a 1 KiB floor, level 6, for text/*, application/json,
     * application/javascript, application/xml, application/xhtml+xml, application/problem+json,
     * application/ld+json, application/manifest+json and image/svg+xml}
     */
    public static Gzip defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the smallest body, in bytes, that is compressed} */
    public int minSize() {
        return minSize;
    }

    /** {@return the deflate level, 1 (fastest) to 9 (smallest)} */
    public int level() {
        return level;
    }

    /** {@return the media types compressed: exact ({@code application/json}) or a whole type ({@code text/*})} */
    public List<String> contentTypes() {
        return contentTypes;
    }

    /**
     * {@return whether a response of this {@code Content-Type} value is compressed}
     *
     * @param contentType the field value, parameters included, or null
     */
    public boolean compresses(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        for (String type : contentTypes) {
            if (type.endsWith("/*") ? mediaType.startsWith(type.substring(0, type.length() - 1)) : mediaType.equals(type)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Gzip[minSize=" + minSize + ", level=" + level + ", contentTypes=" + contentTypes + "]";
    }

    /**
     * Collects gzip settings.
     *
     * <p><b>Threading:</b> not thread-safe; build on one thread.
     */
    public static final class Builder {
        private int minSize = DEFAULT_MIN_SIZE;
        private int level = 6;
        private List<String> contentTypes = new ArrayList<>(DEFAULT_TYPES);

        private Builder() {}

        /**
         * The smallest body compressed (default 1024 bytes).
         *
         * @param bytes 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("gzip minSize must not be negative, got " + bytes);
            }
            this.minSize = bytes;
            return this;
        }

        /**
         * The deflate level (default 6, as gzip(1) and nginx's {@code gzip_comp_level} often are).
         *
         * @param value 1 (fastest) to 9 (smallest)
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 9
         */
        public Builder level(int value) {
            if (value < Deflater.BEST_SPEED || value > Deflater.BEST_COMPRESSION) {
                throw new IllegalArgumentException("gzip level must be 1 to 9, got " + value);
            }
            this.level = value;
            return this;
        }

        /**
         * Replaces the list of media types compressed.
         *
         * @param types media types such as {@code application/json}, or {@code text/*} for a whole type
         * @return this builder
         * @throws IllegalArgumentException if a type is not {@code type/subtype} or {@code type/*}
         */
        public Builder contentTypes(String... types) {
            List<String> checked = new ArrayList<>();
            for (String type : types) {
                Objects.requireNonNull(type, "content type");
                String normal = type.strip().toLowerCase(Locale.ROOT);
                int slash = normal.indexOf('/');
                if (slash <= 0 || slash == normal.length() - 1 || normal.indexOf(';') >= 0 || normal.indexOf('/', slash + 1) >= 0) {
                    throw new IllegalArgumentException("gzip content type must be type/subtype or type/*, without"
                            + " parameters: \"" + type + "\"");
                }
                checked.add(normal);
            }
            this.contentTypes = checked;
            return this;
        }

        /** {@return the settings} */
        public Gzip build() {
            return new Gzip(this);
        }
    }
}
