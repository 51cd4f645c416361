/**
 * The only package that imports Vert.x: the listeners, the request dispatcher, the auth endpoints and the
 * streaming proxy. Handlers here translate between HTTP and the framework-free packages ({@code login},
 * {@code session}, {@code proxy}, {@code csrf}); they never block an event loop (network calls of the OIDC client
 * run on the gateway's worker executor and come back through {@link dev.gatehouse.server.http.Async}).
 *
 * <p>Entry type: {@link dev.gatehouse.server.http.GatewayServer}.
 */
package dev.gatehouse.server.http;
