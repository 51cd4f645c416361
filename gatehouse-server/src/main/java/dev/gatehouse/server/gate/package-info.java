/**
 * The one decision engine behind the proxy and ForwardAuth: from the facts of a request (method, host, path,
 * cookie, bearer token, CSRF headers) to a {@link dev.gatehouse.server.gate.Verdict}: pass with the route, the
 * caller and the upstream token, ask to sign in, or refuse with a reason. The order is fixed: canonical path,
 * route, method, bearer or CSRF, session, rule, token. Framework-free; the {@code http} package turns verdicts
 * into forwarded requests (proxy) or answers (ForwardAuth).
 */
package dev.gatehouse.server.gate;
