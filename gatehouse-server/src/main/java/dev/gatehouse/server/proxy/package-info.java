/**
 * What the proxy decides before any byte moves: which route a request belongs to ({@link
 * dev.gatehouse.server.proxy.RouteTable}, compiled once at config load), whether its path is safe to forward
 * ({@link dev.gatehouse.server.proxy.PathGuard}) and which request headers an upstream must never see
 * ({@link dev.gatehouse.server.proxy.UpstreamHeaders}). The bytes themselves are moved by the {@code http} package.
 */
package dev.gatehouse.server.proxy;
