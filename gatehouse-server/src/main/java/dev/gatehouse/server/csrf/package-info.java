/**
 * Cross-site request forgery defence for cookie-authenticated, state-changing requests: the custom-header rule
 * ({@code X-CSRF: 1}, which forces a CORS preflight on any cross-origin caller) plus Fetch Metadata and
 * {@code Origin} checks against the configured public origin, never against the {@code Host} header.
 */
package dev.gatehouse.server.csrf;
