package dev.gatehouse.identity.provider;

import java.util.List;
import java.util.Map;

/**
 * A browser's request to a hosted page or the authorization endpoint: the query (GET) or form (POST)
 * parameters, the {@code gatehouse-idp} cookie value (null when absent) and the client's address (for throttling).
 */
public record BrowserRequest(Map<String, List<String>> parameters, String sessionCookie, String clientAddress) {

    public BrowserRequest {
        parameters = Map.copyOf(parameters);
    }

    /** The single value of {@code name}; null when absent or repeated (a repeated parameter is not trusted). */
    public String get(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    boolean repeated(String name) {
        List<String> values = parameters.get(name);
        return values != null && values.size() > 1;
    }
}
