/**
 * {@code gatehouse demo}: the embedded provider, the gateway, a plain HTML + JS single-page app and two small APIs
 * that verify their per-service tokens with the SDK, in one process. Entry type: {@link dev.gatehouse.app.demo.Demo}.
 * It shows how the parts fit; it is not a template for production services (no framework, JDK HTTP server).
 */
package dev.gatehouse.app.demo;
