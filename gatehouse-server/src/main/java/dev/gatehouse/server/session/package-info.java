/**
 * Server-side sessions: the one cookie the browser holds, the records behind it and the stores that keep them.
 *
 * <p>The cookie carries a 256-bit random id; stores key sessions by its SHA-256 hash, so a store dump yields no
 * usable cookie. {@link dev.gatehouse.server.session.Sessions} applies the idle and absolute timeouts with an
 * injected clock; {@link dev.gatehouse.server.session.SessionStore} is the seam for the memory and (later)
 * Redis stores, which share one contract test. Nothing here knows about HTTP frameworks.
 */
package dev.gatehouse.server.session;
