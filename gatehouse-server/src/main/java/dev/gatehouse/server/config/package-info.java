/**
 * The configuration file: YAML with {@code ${VAR}} / {@code ${VAR:-default}} substitution, read into immutable
 * records and validated with every error reported at once, each with its path ({@code routes[2].upstream: not a URL}).
 *
 * <p>Entry point: {@link dev.gatehouse.server.config.ConfigLoader}. Everything the request path needs
 * (route matchers, rules) is compiled from these records once, by the packages that use them.
 */
package dev.gatehouse.server.config;
