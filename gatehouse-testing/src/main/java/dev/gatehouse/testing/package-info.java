/**
 * A test kit for services that verify Gatehouse tokens: {@link dev.gatehouse.testing.TestIssuer} generates a key,
 * serves its JWKS on 127.0.0.1 (port 0) and mints tokens with a fluent builder, so teams test without a gateway.
 * Not for production: it signs whatever it is told to.
 */
package dev.gatehouse.testing;
