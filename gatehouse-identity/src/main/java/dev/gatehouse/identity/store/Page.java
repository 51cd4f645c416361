package dev.gatehouse.identity.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing and how many items the whole listing has (Clerk's {@code total_count}). */
public record Page<T>(List<T> items, long totalCount, PageRequest request) {

    public Page {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return request.offset() + items.size() < totalCount;
    }

    /** The request for the following page, if there is one. */
    public Optional<PageRequest> next() {
        return hasMore() ? Optional.of(request.next()) : Optional.empty();
    }
}
