package dev.gatehouse.identity.orgs;

import dev.gatehouse.identity.metadata.Metadata;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An organization as stored. The slug is unique, URL-safe and what people type ({@code acme}); the id is what
 * tokens carry. Immutable; the {@code with...} methods give the changed copy that {@code OrganizationStore.update}
 * writes.
 */
public record Organization(OrganizationId id, String slug, String name, Metadata metadata, Instant createdAt, Instant updatedAt) {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

    public Organization {
        Objects.requireNonNull(id, "id");
        slug = requireValidSlug(slug);
        name = requireName(name);
        metadata = metadata == null ? Metadata.EMPTY : metadata;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The slug, or an {@link IllegalArgumentException} that says what a slug may contain. */
    public static String requireValidSlug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("slug must be 1-64 lower-case letters, digits and hyphens, "
                    + "starting and ending with a letter or digit: " + slug);
        }
        return slug;
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("organization name is required");
        }
        if (name.strip().length() > 256) {
            throw new IllegalArgumentException("organization name is longer than 256 characters");
        }
        return name.strip();
    }

    public Organization withSlug(String newSlug) {
        return new Organization(id, newSlug, name, metadata, createdAt, updatedAt);
    }

    public Organization withName(String newName) {
        return new Organization(id, slug, newName, metadata, createdAt, updatedAt);
    }

    public Organization withMetadata(Metadata newMetadata) {
        return new Organization(id, slug, name, newMetadata, createdAt, updatedAt);
    }
}
