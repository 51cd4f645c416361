/**
 * The gateway: {@link dev.gatehouse.server.Gateway} wires the parts by hand and starts the listeners.
 * Read the sub-packages in the order a request meets them: {@code config}, {@code http}, {@code csrf},
 * {@code session}, {@code proxy}, {@code login}; {@code health} and {@code metrics} watch them.
 */
package dev.gatehouse.server;
