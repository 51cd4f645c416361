package dev.gatehouse.server.csrf;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a cookie-carrying request may change state. Safe methods ({@code GET}, {@code HEAD},
 * {@code OPTIONS}) always pass. Others need all of: the configured header with value {@code 1};
 * {@code Sec-Fetch-Site} absent or {@code same-origin} (or the {@code Origin} allow-listed); {@code Origin} absent
 * or equal to the public origin or an allowed origin. Requests without the session cookie are not checked here:
 * they carry no ambient authority.
 */
public final class CsrfCheck {
    public static final String CSRF_FAILED = "csrf_failed";

    private final String headerName;
    private final Set<String> allowedOrigins;

    public CsrfCheck(String headerName, URI publicUrl, Set<String> extraOrigins) {
        this.headerName = headerName;
        Set<String> origins = new HashSet<>(extraOrigins);
        origins.add(origin(publicUrl));
        this.allowedOrigins = Set.copyOf(origins);
    }

    public String headerName() {
        return headerName;
    }

    public static boolean isSafe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    /** True when the request may proceed. */
    public boolean allows(String method, String csrfHeader, String origin, String secFetchSite) {
        if (isSafe(method)) {
            return true;
        }
        if (!"1".equals(csrfHeader)) {
            return false;
        }
        boolean originAllowed = origin == null || allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
        if (!originAllowed) {
            return false;
        }
        if (secFetchSite == null || secFetchSite.equals("same-origin")) {
            return true;
        }
        // cross-site or same-site (a sibling subdomain): only an explicitly allowed origin may call.
        return origin != null;
    }

    /** Same rule for a WebSocket upgrade, which browsers always send with {@code Origin}. */
    public boolean allowsOrigin(String origin) {
        return origin != null && allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
