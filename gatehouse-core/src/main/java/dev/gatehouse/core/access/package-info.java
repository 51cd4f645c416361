/**
 * Access rules and their decisions: who a request is ({@link dev.gatehouse.core.access.Subject}) and whether a
 * route lets it through ({@link dev.gatehouse.core.access.AccessRule#decide}).
 *
 * <p>Framework-free and allocation-light: rules are built once at config load and evaluated per request.
 * "Needs to sign in" and "signed in but not allowed" are different decisions, each with a stable reason.
 */
package dev.gatehouse.core.access;
