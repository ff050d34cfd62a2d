package io.katana.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * A cookie to set on the client: one {@code Set-Cookie} field (RFC 6265 section 4.1) with its
 * attributes. Build one with {@link #builder(String, String)} and add it with {@link
 * HttpResponse#cookie(Cookie)}; to read the cookies a client sent, see {@link HttpRequest#cookies()}.
 *
 * <pre>{@code
 * res.cookie(Cookie.builder("session", token).path("/").httpOnly().secure()
 *         .sameSite(Cookie.SameSite.LAX).maxAge(Duration.ofHours(8)).build());
 * res.cookie(Cookie.builder("session", "").path("/").maxAge(Duration.ZERO).build()); // deletes it
 * }</pre>
 *
 * <p>Everything is checked when the cookie is built, so a bad name, value or attribute fails in the
 * handler with a message saying what is wrong, never as a broken header on the wire.
 *
 * <p><b>Threading:</b> immutable; safe from any thread. The {@link Builder} is not thread-safe.
 */
public final class Cookie {

    /** The {@code SameSite} attribute: when a browser sends the cookie with a cross-site request. */
    public enum SameSite {
        /** Only with same-site requests. */
        STRICT("Strict"),
        /** With same-site requests and top-level cross-site navigations (a browser's default). */
        LAX("Lax"),
        /** With every request; browsers accept it only on a {@code Secure} cookie. */
        NONE("None");

        private final String attribute;

        SameSite(String attribute) {
            this.attribute = attribute;
        }

        /** {@return the attribute value as sent: {@code Strict}, {@code Lax} or {@code None}} */
        public String attribute() {
            return attribute;
        }
    }

    /** IMF-fixdate (RFC 9110 section 5.6.7): a two-digit day, English names, always GMT. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String name;
    private final String value;
    private final Instant expires;
    private final Duration maxAge;
    private final String domain;
    private final String path;
    private final boolean secure;
    private final boolean httpOnly;
    private final SameSite sameSite;
    private final boolean partitioned;
    private final String headerValue;

    private Cookie(Builder builder) {
        this.name = builder.name;
        this.value = builder.value;
        this.expires = builder.expires;
        this.maxAge = builder.maxAge;
        this.domain = builder.domain;
        this.path = builder.path;
        this.secure = builder.secure;
        this.httpOnly = builder.httpOnly;
        this.sameSite = builder.sameSite;
        this.partitioned = builder.partitioned;
        this.headerValue = encode();
    }

    /**
     * Starts a cookie.
     *
     * @param name a token (RFC 9110): letters, digits and {@code !#$%&'*+-.^_`|~}
     * @param value cookie octets (RFC 6265): printable ASCII except space, {@code "}, {@code ,}, {@code ;}
     *     and {@code \}, optionally wrapped in one pair of double quotes; may be empty. Encode anything
     *     else (Base64URL or percent-encoding) before.
     * @return a builder with no attributes
     * @throws IllegalArgumentException if the name or value has a character a cookie cannot carry
     */
    public static Builder builder(String name, String value) {
        return new Builder(name, value);
    }

    /**
     * {@return a cookie with no attributes: a session cookie for the request's host and path}
     *
     * @param name as {@link #builder}
     * @param value as {@link #builder}
     * @throws IllegalArgumentException as {@link #builder}
     */
    public static Cookie of(String name, String value) {
        return builder(name, value).build();
    }

    /** {@return the cookie's name} */
    public String name() {
        return name;
    }

    /** {@return the cookie's value, as it is sent} */
    public String value() {
        return value;
    }

    /** {@return the {@code Expires} attribute, or null} */
    public Instant expires() {
        return expires;
    }

    /** {@return the {@code Max-Age} attribute, or null} */
    public Duration maxAge() {
        return maxAge;
    }

    /** {@return the {@code Domain} attribute, or null (the cookie goes back only to the host that set it)} */
    public String domain() {
        return domain;
    }

    /** {@return the {@code Path} attribute, or null} */
    public String path() {
        return path;
    }

    /** {@return whether the cookie has the {@code Secure} attribute} */
    public boolean secure() {
        return secure;
    }

    /** {@return whether the cookie has the {@code HttpOnly} attribute} */
    public boolean httpOnly() {
        return httpOnly;
    }

    /** {@return the {@code SameSite} attribute, or null} */
    public SameSite sameSite() {
        return sameSite;
    }

    /** {@return whether the cookie has the {@code Partitioned} attribute} */
    public boolean partitioned() {
        return partitioned;
    }

    /** {@return the value of the {@code Set-Cookie} field, such as {@code id=a3f; Path=/; HttpOnly}} */
    public String headerValue() {
        return headerValue;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cookie cookie && cookie.headerValue.equals(headerValue);
    }

    @Override
    public int hashCode() {
        return headerValue.hashCode();
    }

    /** {@return the {@code Set-Cookie} field value, as {@link #headerValue()}} */
    @Override
    public String toString() {
        return headerValue;
    }

    private String encode() {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 64).append(name).append('=').append(value);
        if (expires != null) {
            out.append("; Expires=").append(IMF_FIXDATE.format(expires));
        }
        if (maxAge != null) {
            out.append("; Max-Age=").append(maxAge.toSeconds());
        }
        if (domain != null) {
            out.append("; Domain=").append(domain);
        }
        if (path != null) {
            out.append("; Path=").append(path);
        }
        if (secure) {
            out.append("; Secure");
        }
        if (httpOnly) {
            out.append("; HttpOnly");
        }
        if (sameSite != null) {
            out.append("; SameSite=").append(sameSite.attribute());
        }
        if (partitioned) {
            out.append("; Partitioned");
        }
        return out.toString();
    }

    /**
     * Collects a cookie's attributes; {@link #build()} checks how they combine.
     *
     * <p><b>Threading:</b> not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final String name;
        private final String value;
        private Instant expires;
        private Duration maxAge;
        private String domain;
        private String path;
        private boolean secure;
        private boolean httpOnly;
        private SameSite sameSite;
        private boolean partitioned;

        private Builder(String name, String value) {
            this.name = checkName(name);
            this.value = checkValue(name, value);
        }

        /**
         * Sets {@code Expires}, sent as an IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}); whole
         * seconds, the fraction dropped. Where both are set, browsers obey {@link #maxAge} instead.
         *
         * @param value when the cookie expires; null removes the attribute
         * @return this builder
         * @throws IllegalArgumentException if the year is outside 1601 to 9999, which the date format cannot carry
         */
        public Builder expires(Instant value) {
            if (value != null) {
                int year = value.atZone(ZoneOffset.UTC).getYear();
                if (year < 1601 || year > 9999) {
                    throw new IllegalArgumentException("cookie '" + name + "': Expires must fall in the years 1601 to 9999, got " + value);
                }
            }
            this.expires = value;
            return this;
        }

        /**
         * Sets {@code Max-Age} in whole seconds (the fraction dropped); zero tells the browser to delete
         * the cookie at once.
         *
         * @param value how long the cookie lives; null removes the attribute
         * @return this builder
         * @throws IllegalArgumentException if negative (use zero to delete a cookie)
         */
        public Builder maxAge(Duration value) {
            if (value != null && value.isNegative()) {
                throw new IllegalArgumentException("cookie '" + name + "': Max-Age must not be negative, got " + value
                        + "; use Duration.ZERO to delete the cookie");
            }
            this.maxAge = value;
            return this;
        }

        /**
         * Sets {@code Domain}: the cookie then also goes to this domain's subdomains.
         *
         * @param value a host name such as {@code example.com} (a leading dot is allowed and ignored by
         *     browsers); null removes the attribute
         * @return this builder
         * @throws IllegalArgumentException if it is empty or has a character other than letters, digits,
         *     {@code -} and {@code .}
         */
        public Builder domain(String value) {
            if (value != null) {
                if (value.isEmpty() || value.equals(".")) {
                    throw new IllegalArgumentException("cookie '" + name + "': Domain must name a host; leave it unset"
                            + " for a cookie that goes back only to the host that set it");
                }
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                    if (!allowed) {
                        throw new IllegalArgumentException("cookie '" + name + "': Domain \"" + value + "\" has '" + c
                                + "' at position " + i + "; a domain has only letters, digits, '-' and '.'"
                                + " (write an internationalised name in its xn-- form)");
                    }
                }
            }
            this.domain = value;
            return this;
        }

        /**
         * Sets {@code Path}: the cookie goes back only with requests under it.
         *
         * @param value a path such as {@code /} or {@code /app}; null removes the attribute
         * @return this builder
         * @throws IllegalArgumentException if it does not start with '/', or holds ';' or a character
         *     outside printable ASCII
         */
        public Builder path(String value) {
            if (value != null) {
                if (!value.startsWith("/")) {
                    throw new IllegalArgumentException("cookie '" + name + "': Path must start with '/', got \"" + value + "\"");
                }
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c < 0x20 || c > 0x7e || c == ';') {
                        throw new IllegalArgumentException("cookie '" + name + "': Path \"" + value + "\" has a character at"
                                + " position " + i + " that a cookie attribute cannot carry (';', a control character or"
                                + " non-ASCII); percent-encode it");
                    }
                }
            }
            this.path = value;
            return this;
        }

        /**
         * Sets {@code Secure}: the browser sends the cookie only over HTTPS.
         *
         * @return this builder
         */
        public Builder secure() {
            this.secure = true;
            return this;
        }

        /**
         * Sets {@code HttpOnly}: scripts in the page cannot read the cookie.
         *
         * @return this builder
         */
        public Builder httpOnly() {
            this.httpOnly = true;
            return this;
        }

        /**
         * Sets {@code SameSite}. {@link SameSite#NONE} needs {@link #secure()} as well.
         *
         * @param value the policy; null removes the attribute
         * @return this builder
         */
        public Builder sameSite(SameSite value) {
            this.sameSite = value;
            return this;
        }

        /**
         * Sets {@code Partitioned} (CHIPS): the browser keeps a separate cookie per top-level site.
         * Needs {@link #secure()} as well.
         *
         * @return this builder
         */
        public Builder partitioned() {
            this.partitioned = true;
            return this;
        }

        /**
         * {@return the cookie}
         *
         * @throws IllegalArgumentException if the attributes do not go together: {@code SameSite=None}
         *     or {@code Partitioned} without {@code Secure}, a {@code __Secure-} name without {@code
         *     Secure}, or a {@code __Host-} name without {@code Secure}, with a {@code Domain}, or with
         *     a {@code Path} other than {@code /}, all of which browsers reject
         */
        public Cookie build() {
            if (sameSite == SameSite.NONE && !secure) {
                throw new IllegalArgumentException("cookie '" + name + "': SameSite=None needs Secure; browsers drop it otherwise");
            }
            if (partitioned && !secure) {
                throw new IllegalArgumentException("cookie '" + name + "': Partitioned needs Secure; browsers drop it otherwise");
            }
            if (name.regionMatches(true, 0, "__Secure-", 0, 9) && !secure) {
                throw new IllegalArgumentException("cookie '" + name + "': a name starting with __Secure- needs Secure");
            }
            if (name.regionMatches(true, 0, "__Host-", 0, 7) && (!secure || domain != null || !"/".equals(path))) {
                throw new IllegalArgumentException("cookie '" + name + "': a name starting with __Host- needs Secure,"
                        + " Path=/ and no Domain");
            }
            return new Cookie(this);
        }

        private static String checkName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a cookie name cannot be empty");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!isTokenChar(c)) {
                    throw new IllegalArgumentException("cookie name \"" + name + "\" has '" + printable(c) + "' at position "
                            + i + "; a name has only letters, digits and !#$%&'*+-.^_`|~");
                }
            }
            return name;
        }

        private static String checkValue(String name, String value) {
            Objects.requireNonNull(value, "value");
            int start = 0;
            int end = value.length();
            if (end >= 2 && value.charAt(0) == '"' && value.charAt(end - 1) == '"') {
                start = 1;
                end--;
            }
            for (int i = start; i < end; i++) {
                char c = value.charAt(i);
                if (!isCookieOctet(c)) {
                    throw new IllegalArgumentException("value of cookie '" + name + "' has '" + printable(c) + "' at position "
                            + i + "; a cookie value has only printable ASCII without space, '\"', ',', ';' and '\\':"
                            + " encode it first (for example Base64URL or percent-encoding)");
                }
            }
            return value;
        }

        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }

        /** RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
        private static boolean isCookieOctet(char c) {
            return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
        }

        private static String printable(char c) {
            return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        }
    }
}
