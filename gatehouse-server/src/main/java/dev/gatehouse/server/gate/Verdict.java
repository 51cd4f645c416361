package dev.gatehouse.server.gate;

import dev.gatehouse.server.proxy.Route;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.tokens.Caller;

/** What the {@link Gatekeeper} decided for one request. */
public sealed interface Verdict {

    /**
     * Let it through to {@code route}.
     *
     * @param caller        who is calling, or null for an anonymous caller on a public or optional route
     * @param session       the session behind the caller, or null (anonymous or Bearer)
     * @param upstreamToken what to send as {@code Authorization: Bearer}, or null for nothing
     */
    record Pass(Route route, String path, Caller caller, Session session, String upstreamToken) implements Verdict {
        @Override
        public String toString() {
            return "Pass[route=" + route.index() + ", path=" + path + "]";
        }
    }

    /** No usable identity: 401 for API callers, a redirect to sign in for browser navigations. */
    record SignIn(String reason, boolean clearCookie) implements Verdict {
    }

    /** Refused with a status and a stable reason; {@code allow} lists the accepted methods of a 405, else null. */
    record Refuse(int status, String reason, String message, String allow) implements Verdict {
        public Refuse(int status, String reason, String message) {
            this(status, reason, message, null);
        }
    }
}
