/**
 * The {@code gatehouse} command: {@code serve} runs the gateway from a config file, {@code check} validates one
 * and prints every error, {@code users} and {@code orgs} manage the embedded provider's identities. Thin by
 * design: what it runs lives in {@code gatehouse-server} and {@code gatehouse-identity}.
 */
package dev.gatehouse.app;
