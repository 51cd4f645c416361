/**
 * Login throttling: failed sign-ins counted per account and per client address in bounded in-memory windows.
 * Entry type: {@link dev.gatehouse.identity.throttle.LoginThrottle}. It counts in one JVM only (no shared store)
 * and never says whether an account exists: the lockout is the same for known and unknown emails.
 */
package dev.gatehouse.identity.throttle;
