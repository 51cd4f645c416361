/**
 * Free-form JSON metadata carried by users and organizations (Clerk's public, private and unsafe metadata).
 *
 * <p>Entry type: {@link dev.gatehouse.identity.metadata.Metadata}, a deeply immutable JSON object. It holds only
 * JSON values (objects, arrays, strings, numbers, booleans, null), so whatever goes in can be stored and read
 * back unchanged. It does not decide who may see which metadata; the callers that publish it do.
 */
package dev.gatehouse.identity.metadata;
