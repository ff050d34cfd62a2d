package io.katana.http.internal;

import java.util.List;
import java.util.Locale;

/**
 * Reads {@code Accept-Encoding} (RFC 9110 section 12.5.3) for one question: may the response be
 * gzip-coded? {@code gzip} (or {@code x-gzip}) with a q-value above 0 says yes, {@code gzip;q=0} says
 * no, and without either a {@code *} above 0 says yes.
 *
 * <p><b>Threading:</b> stateless.
 */
final class AcceptEncoding {

    private AcceptEncoding() {}

    static boolean acceptsGzip(List<String> fieldValues) {
        double gzip = -1;
        double any = -1;
        for (String value : fieldValues) {
            for (String element : value.split(",")) {
                int semicolon = element.indexOf(';');
                String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
                double q = semicolon < 0 ? 1 : qValue(element.substring(semicolon + 1));
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    gzip = Math.max(gzip, q);
                } else if (coding.equals("*")) {
                    any = Math.max(any, q);
                }
            }
        }
        return gzip >= 0 ? gzip > 0 : any > 0;
    }

    /** The q parameter among {@code params} (1 when absent, 0 when malformed: a coding in doubt is not used). */
    private static double qValue(String params) {
        for (String param : params.split(";")) {
            String p = param.strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).strip());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
