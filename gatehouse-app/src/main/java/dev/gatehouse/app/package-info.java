/**
 * The {@code gatehouse} command: {@code serve} runs the gateway from a config file, {@code check} validates one
 * and prints every error. Thin by design: everything it runs lives in {@code gatehouse-server}.
 */
package dev.gatehouse.app;
