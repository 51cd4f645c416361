package dev.gatehouse.identity.store;

/** Which slice of a listing to read: skip {@code offset} items, return at most {@code limit} (1 to 500). */
public record PageRequest(int offset, int limit) {
    public static final int MAX_LIMIT = 500;

    public PageRequest {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(0, limit);
    }

    public PageRequest next() {
        return new PageRequest(offset + limit, limit);
    }
}
