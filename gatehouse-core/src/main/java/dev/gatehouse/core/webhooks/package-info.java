/**
 * Verifying webhooks signed per Standard Webhooks (the scheme Svix and Clerk use): {@code webhook-*} or
 * {@code svix-*} headers, {@code whsec_} secrets, HMAC-SHA256 over {@code id.timestamp.body}, several signatures
 * per header for secret rotation, a 5-minute tolerance and constant-time comparison. Entry type:
 * {@link dev.gatehouse.core.webhooks.Webhook}. The body is taken as raw bytes, never re-serialised JSON.
 */
package dev.gatehouse.core.webhooks;
