package dev.gatehouse.servlet;

import dev.gatehouse.core.Auth;
import dev.gatehouse.core.AuthRequest;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.KeysUnavailableException;
import dev.gatehouse.core.RequestState;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Authenticates each request and stores the result for the application: {@link #auth(HttpServletRequest)} gives
 * the {@link Auth} (signed out when there is no valid token). This filter never refuses a request by itself,
 * except with 503 when the issuer's keys cannot be fetched; add {@link #requireAuth()}, {@link #requireRole} or
 * {@link #requirePermission} after it on the paths that need them.
 */
public final class GatehouseFilter implements Filter {
    static final String STATE = RequestState.class.getName();

    private final Gatehouse gatehouse;

    public GatehouseFilter(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        RequestState state;
        try {
            state = gatehouse.authenticateRequest(adapt(http));
        } catch (KeysUnavailableException e) {
            json((HttpServletResponse) response, 503, e.reason().value(), "Token keys are unavailable; try again.");
            return;
        }
        request.setAttribute(STATE, state);
        chain.doFilter(request, response);
    }

    /** The request's {@link Auth}; signed out when the filter did not run or found no valid token. */
    public static Auth auth(HttpServletRequest request) {
        RequestState state = state(request);
        return state == null ? Auth.SIGNED_OUT : state.toAuth();
    }

    /** The request's {@link RequestState}, or null when {@link GatehouseFilter} did not run. */
    public static RequestState state(HttpServletRequest request) {
        return (RequestState) request.getAttribute(STATE);
    }

    /** 401 with {@code WWW-Authenticate: Bearer ...} (RFC 6750) unless the request is signed in. */
    public static Filter requireAuth() {
        return requirement(null);
    }

    /** 401 when signed out; 403 unless the user has this role in the active organization ({@code org:} optional). */
    public static Filter requireRole(String orgRole) {
        return requirement(Check.role(orgRole));
    }

    /** 401 when signed out; 403 unless the user has this permission in the active organization. */
    public static Filter requirePermission(String orgPermission) {
        return requirement(Check.permission(orgPermission));
    }

    /** 401 when signed out; 403 unless {@link Auth#has(Check)} holds. */
    public static Filter requirement(Check check) {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            HttpServletResponse res = (HttpServletResponse) response;
            RequestState state = state(http);
            if (state == null || !state.isSignedIn()) {
                String reason = state == null ? "session-token-missing" : state.reason().value();
                boolean tokenGiven = state != null && state.reason() != dev.gatehouse.core.AuthReason.SESSION_TOKEN_MISSING;
                res.setHeader("WWW-Authenticate", tokenGiven
                        ? "Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"" + reason + "\""
                        : "Bearer realm=\"gatehouse\"");
                json(res, 401, reason, "Authentication is required.");
                return;
            }
            if (check != null && !state.toAuth().has(check)) {
                json(res, 403, "forbidden", "You are not allowed to do this.");
                return;
            }
            chain.doFilter(request, response);
        };
    }

    static void json(HttpServletResponse res, int status, String reason, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.setHeader("Cache-Control", "no-store");
        byte[] body = ("{\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    private static AuthRequest adapt(HttpServletRequest request) {
        return new AuthRequest() {
            @Override
            public String header(String name) {
                return request.getHeader(name);
            }

            @Override
            public String cookie(String name) {
                Cookie[] cookies = request.getCookies();
                if (cookies != null) {
                    for (Cookie c : cookies) {
                        if (c.getName().equals(name)) {
                            return c.getValue();
                        }
                    }
                }
                return null;
            }
        };
    }
}
