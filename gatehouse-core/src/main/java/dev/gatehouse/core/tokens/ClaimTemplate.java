package dev.gatehouse.core.tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One claim's value template, compiled. A string that is exactly one placeholder yields the placeholder's value
 * as it is (a list stays a list) and the claim is left out when it is null; a string mixing text and
 * placeholders yields a string with absent values as empty text; anything else is a literal.
 *
 * <p>Placeholder syntax: {@code {{ alternative || alternative ... }}} where each alternative is a path
 * ({@code user.email}) or a quoted literal ({@code 'free'}). The first non-null, non-empty value wins.
 */
public final class ClaimTemplate {
    /** The paths a placeholder may start with; {@code user.public_metadata} may go deeper. */
    private static final Set<String> KNOWN = Set.of(
            "user.id", "user.email", "user.name", "user.picture", "user.public_metadata",
            "org.id", "org.slug", "org.name", "org.role", "org.permissions", "session.id");

    private final Object literal;
    private final List<Object> parts;
    private final boolean single;

    private ClaimTemplate(Object literal, List<Object> parts, boolean single) {
        this.literal = literal;
        this.parts = parts;
        this.single = single;
    }

    /** A placeholder: alternatives tried in order; each is a {@code String[]} path or a literal {@code String}. */
    private record Placeholder(List<Object> alternatives) {
    }

    public static ClaimTemplate literal(Object value) {
        return new ClaimTemplate(value, null, false);
    }

    public static ClaimTemplate parse(String text) throws TemplateException {
        List<Object> parts = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int open = text.indexOf("{{", pos);
            if (open < 0) {
                parts.add(text.substring(pos));
                break;
            }
            if (open > pos) {
                parts.add(text.substring(pos, open));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TemplateException("unclosed {{ in '" + text + "'");
            }
            parts.add(placeholder(text.substring(open + 2, close).trim()));
            pos = close + 2;
        }
        if (parts.stream().noneMatch(p -> p instanceof Placeholder)) {
            return literal(text);
        }
        return new ClaimTemplate(null, List.copyOf(parts), parts.size() == 1);
    }

    private static Placeholder placeholder(String expression) throws TemplateException {
        if (expression.isEmpty()) {
            throw new TemplateException("empty placeholder {{}}");
        }
        List<Object> alternatives = new ArrayList<>();
        for (String raw : expression.split("\\|\\|", -1)) {
            String alt = raw.trim();
            if (alt.length() >= 2 && (alt.startsWith("'") && alt.endsWith("'") || alt.startsWith("\"") && alt.endsWith("\""))) {
                alternatives.add(alt.substring(1, alt.length() - 1));
                continue;
            }
            if (!alt.matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*")) {
                throw new TemplateException("'" + alt + "' is neither a path like user.email nor a quoted literal");
            }
            String[] path = alt.split("\\.");
            boolean known = KNOWN.contains(alt)
                    || (path.length > 2 && path[0].equals("user") && path[1].equals("public_metadata"));
            if (!known) {
                throw new TemplateException("unknown placeholder " + alt + " (known: user.id, user.email, user.name, "
                        + "user.picture, user.public_metadata.KEY, org.id, org.slug, org.name, org.role, org.permissions, session.id)");
            }
            alternatives.add(path);
        }
        return new Placeholder(List.copyOf(alternatives));
    }

    /** The claim's value in this context, or null when it should be left out. */
    public Object evaluate(TemplateContext context) {
        if (parts == null) {
            return literal;
        }
        if (single) {
            return resolve((Placeholder) parts.get(0), context);
        }
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Placeholder p) {
                Object v = resolve(p, context);
                if (v != null) {
                    out.append(v);
                }
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    private static Object resolve(Placeholder p, TemplateContext context) {
        for (Object alt : p.alternatives()) {
            Object v = alt instanceof String s ? s : context.value((String[]) alt);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                return v;
            }
        }
        return null;
    }
}
