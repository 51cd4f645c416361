/**
 * Prometheus metrics through Micrometer: requests by kind and outcome, sign-ins, refreshes and live sessions.
 * Counters are created once and looked up by array index on the request path, never built per request.
 * Served only on the admin listener.
 */
package dev.gatehouse.server.metrics;
