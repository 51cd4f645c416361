package dev.gatehouse.server.proxy;

import java.util.List;

/**
 * A compiled route pattern, matched segment by segment: a literal segment matches itself, {@code *} matches one
 * non-empty segment, and a final {@code **} matches the rest of the path, including nothing
 * ({@code /api/**} matches {@code /api}, {@code /api/} and {@code /api/a/b}, not {@code /apix}).
 */
public final class PathPattern {
    private final String source;
    private final String[] segments;
    private final boolean rest;
    /** The path up to the first wildcard: a cheap first test before segment matching. */
    private final String literalPrefix;

    public PathPattern(String pattern) {
        this.source = pattern;
        String body = pattern.equals("/") ? "" : pattern.substring(1);
        String[] parts = body.isEmpty() ? new String[0] : body.split("/", -1);
        boolean tail = parts.length > 0 && parts[parts.length - 1].equals("**");
        this.rest = tail;
        this.segments = tail ? java.util.Arrays.copyOf(parts, parts.length - 1) : parts;
        int star = pattern.indexOf('*');
        this.literalPrefix = star < 0 ? pattern : pattern.substring(0, star);
    }

    public boolean matches(String path) {
        if (!path.startsWith(literalPrefix) && !(rest && isPrefixWithoutSlash(path))) {
            return false;
        }
        int pos = 1;
        int len = path.length();
        for (String segment : segments) {
            if (pos > len) {
                return false;
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = len;
            }
            if (segment.equals("*")) {
                if (end == pos) {
                    return false;
                }
            } else if (end - pos != segment.length() || !path.regionMatches(pos, segment, 0, segment.length())) {
                return false;
            }
            pos = end + 1;
        }
        if (rest) {
            return true;
        }
        // every segment consumed; the path must end here (a trailing slash is allowed)
        return pos >= len;
    }

    /** {@code path + "/"} equals the literal prefix ({@code /api} for {@code /api/**}), tested without building it. */
    private boolean isPrefixWithoutSlash(String path) {
        int n = path.length();
        return literalPrefix.length() == n + 1 && literalPrefix.charAt(n) == '/' && literalPrefix.startsWith(path);
    }

    /**
     * The pattern's segments before its first wildcard ({@code [api, billing]} for {@code /api/billing/*}/x}): a
     * path can match only if it begins with exactly these segments.
     */
    List<String> leadingLiterals() {
        List<String> out = new java.util.ArrayList<>();
        for (String segment : segments) {
            if (segment.indexOf('*') >= 0) {
                break;
            }
            out.add(segment);
        }
        return out;
    }

    @Override
    public String toString() {
        return source;
    }
}
