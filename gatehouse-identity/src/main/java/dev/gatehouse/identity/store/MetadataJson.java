package dev.gatehouse.identity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.identity.metadata.Metadata;
import java.util.LinkedHashMap;

/**
 * Metadata as the JSON text the metadata columns hold ({@code {}} when empty), at most {@value #MAX_CHARS}
 * characters each: a bound that keeps rows (and the tokens that may carry public metadata) small, and that
 * every supported database can hold.
 */
final class MetadataJson {
    static final int MAX_CHARS = 65_536;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private MetadataJson() {
    }

    static String write(Metadata metadata, String field) {
        try {
            String json = MAPPER.writeValueAsString(metadata.asMap());
            if (json.length() > MAX_CHARS) {
                throw new IllegalArgumentException(field + " is larger than " + MAX_CHARS + " characters as JSON");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written as JSON", e);
        }
    }

    static Metadata read(String json) {
        try {
            return Metadata.of(MAPPER.readValue(json, OBJECT));
        } catch (JsonProcessingException e) {
            // Only this code writes the column, so unreadable JSON means the database was edited by hand.
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
    }
}
