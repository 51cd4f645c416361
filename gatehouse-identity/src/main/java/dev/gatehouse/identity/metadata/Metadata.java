package dev.gatehouse.identity.metadata;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON object, frozen all the way down: nested maps and lists are copied into unmodifiable ones, so a
 * {@code Metadata} can be shared between threads and handed out without defensive copies. Values must be JSON
 * values (String, Boolean, Number, null, Map with String keys, List); anything else is refused at construction,
 * not at storage time.
 */
public final class Metadata {
    public static final Metadata EMPTY = new Metadata(Map.of());

    private final Map<String, Object> values;

    private Metadata(Map<String, Object> values) {
        this.values = values;
    }

    /** A frozen copy of {@code values}; {@code null} gives {@link #EMPTY}. */
    public static Metadata of(Map<String, ?> values) {
        if (values == null || values.isEmpty()) {
            return EMPTY;
        }
        return new Metadata(freezeObject(values, "$"));
    }

    /** The values, unmodifiable, in insertion order. */
    public Map<String, Object> asMap() {
        return values;
    }

    public Object get(String key) {
        return values.get(key);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static Map<String, Object> freezeObject(Map<?, ?> in, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : in.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("metadata keys must be strings, found " + e.getKey() + " at " + path);
            }
            out.put(key, freeze(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object freeze(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return integral(BigInteger.valueOf(((Number) value).longValue()));
        }
        if (value instanceof BigInteger big) {
            return integral(big);
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return finite(((Number) value).doubleValue(), path);
        }
        if (value instanceof Map<?, ?> map) {
            return freezeObject(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(freeze(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException("metadata value at " + path + " is not a JSON value ("
                + value.getClass().getSimpleName() + ")");
    }

    /** Integers as a JSON parser reads them back (the smallest of Integer, Long, BigInteger), so equality survives storage. */
    private static Number integral(BigInteger n) {
        if (n.bitLength() < 32) {
            return n.intValue();
        }
        if (n.bitLength() < 64) {
            return n.longValue();
        }
        return n;
    }

    private static Double finite(double d, String path) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("metadata value at " + path + " is not a finite number");
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
