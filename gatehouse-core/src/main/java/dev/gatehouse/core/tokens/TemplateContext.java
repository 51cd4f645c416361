package dev.gatehouse.core.tokens;

/**
 * The values placeholders read: {@code user.*}, {@code org.*} and {@code session.*}. Returns null for anything
 * absent (no active organization, a missing metadata key), which makes {@code ||} fall through.
 */
public interface TemplateContext {
    /** The value at {@code path} ({@code ["user", "public_metadata", "plan"]}), or null. */
    Object value(String[] path);
}
