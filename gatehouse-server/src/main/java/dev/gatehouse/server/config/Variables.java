package dev.gatehouse.server.config;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} substitution, shared by the configuration file and the seed file so
 * both read variables the same way. An unset variable without a default is an error at the value's path.
 */
public final class Variables {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private Variables() {
    }

    /** {@code value} with every variable replaced; each unset one adds {@code "PATH: environment variable X is not set"}. */
    public static String substitute(String value, String path, Function<String, String> environment, List<String> errors) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null || (v.isEmpty() && m.group(2) != null)) {
                v = m.group(2);
            }
            if (v == null) {
                errors.add(path + ": environment variable " + m.group(1) + " is not set");
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
