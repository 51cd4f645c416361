package dev.gatehouse.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signing keys in one JSON file, readable and writable by the owner only ({@code rw-------}, in a directory
 * created {@code rwx------}). Writes go to a temporary file that is moved into place, so a crash never leaves a
 * half-written key file.
 */
public final class FileSigningKeyStore implements SigningKeyStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public FileSigningKeyStore(Path file) {
        this.file = file;
    }

    @Override
    public List<StoredKey> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The parser's own message quotes the offending text, which may be private key material.
            String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new IOException(file + ": not a valid signing key file (broken JSON" + line + ")");
        }
        if (root == null || !root.path("keys").isArray()) {
            // Never overwrite a file we do not recognise with a fresh key.
            throw new IOException(file + ": not a signing key file (no \"keys\" list)");
        }
        List<StoredKey> keys = new ArrayList<>();
        for (JsonNode entry : root.path("keys")) {
            try {
                JWK jwk = JWK.parse(JSON.writeValueAsString(entry.get("jwk")));
                Instant until = entry.hasNonNull("publishUntil") ? Instant.parse(entry.get("publishUntil").asText()) : null;
                keys.add(new StoredKey(jwk, Instant.parse(entry.get("activatedAt").asText()), until));
            } catch (java.text.ParseException | RuntimeException e) {
                throw new IOException(file + ": a signing key cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return keys;
    }

    @Override
    public void save(List<StoredKey> keys) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("keys");
        for (StoredKey k : keys) {
            ObjectNode entry = array.addObject();
            entry.set("jwk", JSON.readTree(k.key().toJSONString()));
            entry.put("activatedAt", k.activatedAt().toString());
            entry.put("publishUntil", k.publishUntil() == null ? null : k.publishUntil().toString());
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
