package dev.gatehouse.server.login;

/**
 * The open-redirect rule for {@code returnTo}: only a local path is honoured, everything else becomes {@code /}.
 * Local means one leading {@code /} not followed by {@code /} or {@code \}, no scheme, no backslash anywhere,
 * no control or whitespace characters, and no percent-encoded slash or backslash that a browser or server might
 * decode into a second leading slash.
 */
public final class ReturnTo {
    private ReturnTo() {
    }

    public static String sanitize(String returnTo) {
        if (returnTo == null || returnTo.isEmpty() || returnTo.length() > 2048 || returnTo.charAt(0) != '/') {
            return "/";
        }
        if (returnTo.length() > 1 && (returnTo.charAt(1) == '/' || returnTo.charAt(1) == '\\')) {
            return "/";
        }
        for (int i = 0; i < returnTo.length(); i++) {
            char c = returnTo.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
                return "/";
            }
        }
        String lower = returnTo.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%09") || lower.contains("%0a")
                || lower.contains("%0d") || lower.contains("%00")) {
            return "/";
        }
        return returnTo;
    }
}
