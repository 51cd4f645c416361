package dev.gatehouse.server.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One {@code Set-Cookie} header taken apart: name, value and attributes (names lower-cased, flags map to ""). */
record SetCookie(String name, String value, Map<String, String> attributes) {
    static SetCookie parse(String header) {
        String[] parts = header.split(";");
        String pair = parts[0].trim();
        int eq = pair.indexOf('=');
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) {
                continue;
            }
            int e = p.indexOf('=');
            attrs.put((e < 0 ? p : p.substring(0, e)).trim().toLowerCase(Locale.ROOT), e < 0 ? "" : p.substring(e + 1).trim());
        }
        return new SetCookie(pair.substring(0, eq), pair.substring(eq + 1), attrs);
    }

    /** The cookie named {@code name} among a response's {@code Set-Cookie} headers. */
    static Optional<SetCookie> find(List<String> headers, String name) {
        return headers.stream().map(SetCookie::parse).filter(c -> c.name().equals(name)).findFirst();
    }

    boolean has(String attribute) {
        return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
    }

    String attribute(String attribute) {
        return attributes.get(attribute.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "SetCookie[" + name + ", attributes=" + attributes + "]";
    }
}
