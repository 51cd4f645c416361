package dev.gatehouse.identity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.identity.metadata.Metadata;
import java.util.LinkedHashMap;

/** Metadata as the JSON text the metadata columns hold ({@code {}} when empty). */
final class MetadataJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private MetadataJson() {
    }

    static String write(Metadata metadata) {
        try {
            return MAPPER.writeValueAsString(metadata.asMap());
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
