package dev.gatehouse.identity.orgs;

import dev.gatehouse.identity.metadata.Metadata;

/** What a caller supplies to create an organization; the store adds the id and the times. */
public record NewOrganization(String slug, String name, Metadata metadata) {

    public NewOrganization {
        slug = Organization.requireValidSlug(slug);
        name = Organization.requireName(name);
        metadata = metadata == null ? Metadata.EMPTY : metadata;
    }

    public NewOrganization(String slug, String name) {
        this(slug, name, Metadata.EMPTY);
    }
}
