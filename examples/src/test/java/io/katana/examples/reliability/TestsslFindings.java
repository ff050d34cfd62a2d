package io.katana.examples.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The findings of one testssl scan, read from its {@code --jsonfile}: a flat JSON array of objects
 * whose values are all strings ({@code id}, {@code severity}, {@code finding}, ...). Immutable.
 */
record TestsslFindings(List<Finding> all) {
    private static final Pattern OBJECT = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of testssl's verdict: its check id, severity (OK, INFO, LOW, MEDIUM, HIGH, CRITICAL, WARN, FATAL) and text. */
    record Finding(String id, String severity, String finding) {
        @Override
        public String toString() {
            return severity + " " + id + ": " + finding;
        }
    }

    static TestsslFindings parse(String json) {
        List<Finding> findings = new ArrayList<>();
        Matcher object = OBJECT.matcher(json);
        while (object.find()) {
            String id = null;
            String severity = null;
            String finding = "";
            Matcher field = FIELD.matcher(object.group(1));
            while (field.find()) {
                String value = field.group(2).replaceAll("\\\\(.)", "$1");
                switch (field.group(1)) {
                    case "id" -> id = value;
                    case "severity" -> severity = value;
                    case "finding" -> finding = value;
                    default -> { }
                }
            }
            if (id != null && severity != null) {
                findings.add(new Finding(id, severity, finding));
            }
        }
        return new TestsslFindings(List.copyOf(findings));
    }

    /** {@return the findings of the given severities} */
    List<Finding> withSeverity(String... severities) {
        List<String> wanted = List.of(severities);
        return all.stream().filter(f -> wanted.contains(f.severity())).toList();
    }

    /** {@return the finding with this id, if the scan made one} */
    Optional<Finding> byId(String id) {
        return all.stream().filter(f -> f.id().equals(id)).findFirst();
    }
}
