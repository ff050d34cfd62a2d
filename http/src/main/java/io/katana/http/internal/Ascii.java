package io.katana.http.internal;

/**
 * Byte classes of RFC 9110, 9112 and 3986, as lookup tables indexed by an unsigned byte.
 *
 * <p><b>Threading:</b> immutable after class initialisation; safe from any thread.
 */
public final class Ascii {

    public static final byte CR = '\r';
    public static final byte LF = '\n';
    public static final byte SP = ' ';
    public static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] PATH = new boolean[256];
    private static final boolean[] QUERY = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] REG_NAME = new boolean[256];
    private static final byte[] HEX = new byte[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }

        FIELD_VALUE[HTAB] = true;
        for (int c = 0x20; c <= 0x7e; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_VALUE[c] = true; // obs-text: opaque octets a server passes through
        }

        // RFC 3986 pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
        String unreserved = "-._~";
        String subDelims = "!$&'()*+,;=";
        for (int c = '0'; c <= '9'; c++) {
            PATH[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            PATH[c] = true;
            PATH[c - 32] = true;
        }
        for (char c : (unreserved + subDelims + ":@%/").toCharArray()) {
            PATH[c] = true;
        }
        System.arraycopy(PATH, 0, REG_NAME, 0, 256);
        REG_NAME[':'] = false;
        REG_NAME['@'] = false;
        REG_NAME['/'] = false;
        System.arraycopy(PATH, 0, QUERY, 0, 256);
        QUERY['?'] = true;
        // Browsers follow the WHATWG URL standard, which leaves these raw in a query string; refusing
        // them would refuse ordinary browser requests. They stay invalid in the path.
        for (char c : "{}|^`[]\\".toCharArray()) {
            QUERY[c] = true;
        }
        for (int c = 0; c < 256; c++) {
            TARGET[c] = QUERY[c] || PATH[c];
        }
        TARGET['['] = true; // IP-literal hosts in absolute-form
        TARGET[']'] = true;

        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 32] = (byte) (c - 'a' + 10);
        }
    }

    private Ascii() {}

    /** RFC 9110 tchar: the bytes of a token (method, field name, coding name). */
    public static boolean isTokenChar(int b) {
        return TCHAR[b & 0xff];
    }

    /** A byte allowed inside a field value: HTAB, SP, VCHAR or obs-text. */
    public static boolean isFieldValueChar(int b) {
        return FIELD_VALUE[b & 0xff];
    }

    /** A byte that may appear somewhere in a request-target; where exactly is checked afterwards. */
    public static boolean isTargetChar(int b) {
        return TARGET[b & 0xff];
    }

    /** A byte allowed raw in a path: pchar or "/". */
    public static boolean isPathChar(int b) {
        return PATH[b & 0xff];
    }

    /** A byte allowed raw in a query. */
    public static boolean isQueryChar(int b) {
        return QUERY[b & 0xff];
    }

    /** A byte of an RFC 3986 reg-name (host name): unreserved, pct-encoded or sub-delims. */
    public static boolean isRegNameChar(int b) {
        return REG_NAME[b & 0xff];
    }

    /** The value of a hexadecimal digit, or -1. */
    public static int hexValue(int b) {
        return HEX[b & 0xff];
    }

    /** ASCII lower case of one byte; other bytes unchanged. */
    public static int toLower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Whether a byte is SP or HTAB (RFC 9110 OWS). */
    public static boolean isWhitespace(int b) {
        return b == SP || b == HTAB;
    }
}
