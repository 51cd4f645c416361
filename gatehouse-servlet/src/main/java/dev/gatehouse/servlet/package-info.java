/**
 * Jakarta Servlet support: {@link dev.gatehouse.servlet.GatehouseFilter} authenticates every request and stores
 * its {@link dev.gatehouse.core.Auth}; {@link dev.gatehouse.servlet.GatehouseFilter#requireAuth()},
 * {@code requireRole(...)} and {@code requirePermission(...)} guard paths with 401 (with {@code WWW-Authenticate})
 * and 403 JSON answers. Works in any Servlet 6 container (Tomcat 11, Jetty 12 ee10).
 */
package dev.gatehouse.servlet;
