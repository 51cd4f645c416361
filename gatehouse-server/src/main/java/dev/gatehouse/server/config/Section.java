package dev.gatehouse.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One mapping of the configuration file being read: typed getters that record an error with the key's path
 * instead of throwing, so one pass reports every problem. Reading a key also declares it as known, which lets
 * {@link #finish()} report unknown (usually misspelt) keys and lets a test keep the docs in sync.
 */
final class Section {
    private final JsonNode node;
    private final String path;
    private final ConfigLoader.Context context;
    private final Set<String> read = new HashSet<>();

    Section(JsonNode node, String path, ConfigLoader.Context context) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.context = context;
        if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
            error("", "must be a mapping");
        }
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void error(String key, String message) {
        String where = key.isEmpty() ? path : path(key);
        context.errors.add((where.isEmpty() ? "(file)" : where) + ": " + message);
    }

    boolean has(String key) {
        declare(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode raw(String key) {
        declare(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    private void declare(String key) {
        read.add(key);
        context.knownKeys.add(path(key).replaceAll("\\[\\d+]", "[]"));
    }

    String string(String key, String fallback) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isValueNode()) {
            error(key, "must be a single value");
            return fallback;
        }
        return context.substitute(v.asText(), path(key));
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            if (s == null) {
                error(key, "is required");
            } else {
                error(key, "must not be empty");
            }
            return null;
        }
        return s;
    }

    boolean bool(String key, boolean fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default:
                error(key, "must be true or false");
                return fallback;
        }
    }

    Duration duration(String key, Duration fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        Duration d = Durations.parse(s);
        if (d == null) {
            error(key, "not a duration (use e.g. 500ms, 30s, 30m, 12h)");
            return fallback;
        }
        if (d.isNegative() || d.isZero()) {
            error(key, "must be positive");
            return fallback;
        }
        return d;
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String s = string(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            error(key, "must be one of " + String.join(", ", names) + " (got '" + s + "')");
            return fallback;
        }
    }

    /** An absolute http(s) URL with a host, or null after recording why not. */
    URI url(String key, boolean required) {
        String s = required ? requiredString(key) : string(key, null);
        if (s == null) {
            return null;
        }
        try {
            URI uri = new URI(s.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                error(key, "not a URL (expected http:// or https:// with a host)");
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                error(key, "must not have a query, fragment or user info");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            error(key, "not a URL");
            return null;
        }
    }

    List<String> strings(String key, List<String> fallback) {
        JsonNode v = raw(key);
        if (v == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (v.isValueNode()) {
            out.add(context.substitute(v.asText(), path(key)));
            return out;
        }
        if (!v.isArray()) {
            error(key, "must be a list");
            return fallback;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isValueNode()) {
                error(key + "[" + i + "]", "must be a single value");
                continue;
            }
            out.add(context.substitute(item.asText(), path(key) + "[" + i + "]"));
        }
        return out;
    }

    Section section(String key) {
        return new Section(raw(key), path(key), context);
    }

    /** Visits each mapping of a list; returns false when the key is missing. */
    boolean eachSection(String key, Consumer<Section> visitor) {
        JsonNode v = raw(key);
        if (v == null) {
            return false;
        }
        if (!v.isArray()) {
            error(key, "must be a list");
            return true;
        }
        for (int i = 0; i < v.size(); i++) {
            Section s = new Section(v.get(i), path(key) + "[" + i + "]", context);
            visitor.accept(s);
            s.finish();
        }
        return true;
    }

    /** The mapping's own entries as text, for free-form maps such as {@code claims}. */
    java.util.Map<String, String> stringMap(String key) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        scalarMap(key).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** True when the key holds a mapping (as opposed to a scalar or nothing). */
    boolean isMapping(String key) {
        JsonNode v = node.get(key);
        return v != null && v.isObject();
    }

    /** The names of this mapping's own keys, each declared as known (for free-form mappings like token_templates). */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                read.add(name);
                out.add(name);
            });
        }
        return out;
    }

    /** A mapping of scalars with strings substituted and other scalars (numbers, booleans) kept as they are. */
    java.util.Map<String, Object> scalarMap(String key) {
        JsonNode v = raw(key);
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            error(key, "must be a mapping");
            return out;
        }
        v.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            String at = path(key) + "." + e.getKey();
            if (value.isTextual()) {
                out.put(e.getKey(), context.substitute(value.asText(), at));
            } else if (value.isNumber()) {
                out.put(e.getKey(), value.numberValue());
            } else if (value.isBoolean()) {
                out.put(e.getKey(), value.booleanValue());
            } else {
                context.errors.add(at + ": must be a string, number or boolean");
            }
        });
        return out;
    }

    /** Reports keys that nothing read: almost always a typo that would otherwise be silently ignored. */
    void finish() {
        if (!node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!read.contains(name)) {
                error(name, "unknown key");
            }
        });
    }
}
