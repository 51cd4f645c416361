package dev.gatehouse.core.tokens;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A per-service token's recipe: its audience, lifetime and extra claims. Built at config load by
 * {@link #compile}, which refuses reserved claim names and lifetimes out of bounds.
 */
public record TokenTemplate(String name, String audience, Duration lifetime, Map<String, ClaimTemplate> claims) {

    /**
     * Claims the gateway sets itself; a template may not override them. Beyond BRIEF §3.4's list, {@code org} and
     * {@code roles} are standard claims of every minted token too: a template value would be replaced (or, for
     * {@code org} without an active organization, misread by services expecting the object).
     */
    public static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "azp", "org", "roles");
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    public static final Duration MIN_LIFETIME = Duration.ofSeconds(5);
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);

    /**
     * Compiles a template. {@code claims} values are strings (templates) or other scalars (literals).
     *
     * @throws TemplateException listing every problem, each naming the key at fault
     */
    public static TokenTemplate compile(String name, String audience, Duration lifetime, Map<String, Object> claims)
            throws TemplateException {
        List<String> problems = new ArrayList<>();
        if (audience == null || audience.isBlank()) {
            problems.add("audience: is required");
        }
        Duration life = lifetime == null ? DEFAULT_LIFETIME : lifetime;
        if (life.compareTo(MIN_LIFETIME) < 0 || life.compareTo(MAX_LIFETIME) > 0) {
            problems.add("lifetime: must be between " + MIN_LIFETIME.toSeconds() + "s and "
                    + MAX_LIFETIME.toMinutes() + "m (got " + life.toSeconds() + "s)");
        }
        Map<String, ClaimTemplate> compiled = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            if (RESERVED.contains(e.getKey())) {
                problems.add("claims." + e.getKey() + ": is reserved and set by Gatehouse");
                continue;
            }
            try {
                compiled.put(e.getKey(), e.getValue() instanceof String s ? ClaimTemplate.parse(s) : ClaimTemplate.literal(e.getValue()));
            } catch (TemplateException bad) {
                problems.add("claims." + e.getKey() + ": " + bad.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new TemplateException(problems);
        }
        return new TokenTemplate(name, audience, life, Map.copyOf(compiled));
    }

    /** The template's own claims in this context; claims whose value is null are left out. */
    public Map<String, Object> evaluate(TemplateContext context) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.forEach((claim, template) -> {
            Object v = template.evaluate(context);
            if (v != null) {
                out.put(claim, v);
            }
        });
        return out;
    }
}
