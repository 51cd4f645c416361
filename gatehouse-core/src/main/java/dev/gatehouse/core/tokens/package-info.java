/**
 * Token templates: what a per-service token carries beyond the standard claims, written in the config as
 * strings with {@code {{placeholders}}} ({@code {{user.email}}}, {@code {{org.role}}}, {@code "{{user.public_metadata.plan || 'free'}}"}).
 *
 * <p>Templates are parsed once, at config load, into {@link dev.gatehouse.core.tokens.ClaimTemplate} trees;
 * unknown placeholders and reserved claim names are errors there, never at request time. Evaluation reads a
 * {@link dev.gatehouse.core.tokens.TemplateContext} and allocates only the claim values it produces.
 * Signing is not here: the gateway signs.
 */
package dev.gatehouse.core.tokens;
