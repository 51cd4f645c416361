package dev.gatehouse.identity.store;

/** Another organization has this slug. */
public final class SlugTakenException extends ConflictException {
    private final String slug;

    public SlugTakenException(String slug) {
        super("the slug " + slug + " is already in use");
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}
