package dev.gatehouse.server.proxy;

/**
 * Canonicalises a request path before it is matched and forwarded, so that the path the rules see is the path
 * the upstream gets, and nothing can climb out of a route's prefix.
 *
 * <p>Percent-encoded unreserved characters ({@code %61} for {@code a}, {@code %2e} for {@code .}) are decoded,
 * as RFC 3986 §6.2.2.2 allows, so {@code /api/%61dmin} is matched as {@code /api/admin}. Then the path is refused
 * (null) when it holds a dot segment ({@code .} or {@code ..}), an empty segment ({@code //}), a backslash, a
 * semicolon (matrix parameters some servers strip before routing), a control character, or an encoded
 * {@code /}, {@code \}, {@code ;}, {@code %} or NUL, any of which an upstream might decode into a separator.
 */
public final class PathGuard {
    private PathGuard() {
    }

    /** The canonical path, or null when the path must be refused with 400. */
    public static String canonical(String rawPath) {
        int len = rawPath.length();
        if (len == 0 || rawPath.charAt(0) != '/' || len > 8192) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < len; i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\' || c == ';') {
                return null;
            }
            if (c == '%') {
                if (i + 2 >= len) {
                    return null;
                }
                int hi = Character.digit(rawPath.charAt(i + 1), 16);
                int lo = Character.digit(rawPath.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                char decoded = (char) (hi * 16 + lo);
                if (decoded == '/' || decoded == '\\' || decoded == ';' || decoded == '%' || decoded < 0x20 || decoded == 0x7f) {
                    return null;
                }
                if (isUnreserved(decoded)) {
                    if (out == null) {
                        out = new StringBuilder(len).append(rawPath, 0, i);
                    }
                    out.append(decoded);
                    i += 2;
                    continue;
                }
            }
            if (out != null) {
                out.append(c);
            }
        }
        String path = out == null ? rawPath : out.toString();
        return hasBadSegment(path) ? null : path;
    }

    private static boolean hasBadSegment(String path) {
        int start = 1;
        int len = path.length();
        while (start <= len) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            int segLen = end - start;
            if (segLen == 0 && end != len) {
                return true;
            }
            if ((segLen == 1 && path.charAt(start) == '.') || (segLen == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
