/**
 * Liveness and readiness. Liveness says the process serves requests; readiness says it can do its job: the
 * session store answers and the identity provider has been discovered. Signing keys join in a later version.
 */
package dev.gatehouse.server.health;
