/**
 * The embedded provider's HTTP layer, the only package of this module that imports Vert.x: routes each request
 * to {@link dev.gatehouse.identity.provider.OpenIdProvider} on a worker thread, renders its pages as HTML from
 * templates, and sets the {@code gatehouse-idp} cookie. Entry type: {@link
 * dev.gatehouse.identity.http.ProviderHttpServer}. It makes no protocol decision of its own.
 */
package dev.gatehouse.identity.http;
