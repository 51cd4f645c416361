/**
 * The Spring recipe for a BFF, built only to be benchmarked against Gatehouse: {@link dev.gatehouse.peer.SpringBff}
 * wires Spring Cloud Gateway, Spring Security {@code oauth2Login}, the {@code TokenRelay} filter and Spring Session.
 * It is not part of the product and has no CSRF header check, refresh single-flight or logout endpoint of its own.
 */
package dev.gatehouse.peer;
