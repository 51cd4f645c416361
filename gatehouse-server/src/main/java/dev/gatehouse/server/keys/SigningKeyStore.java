package dev.gatehouse.server.keys;

import java.io.IOException;
import java.util.List;

/** Where signing keys are kept between starts. Implementations must keep private keys away from other users. */
public interface SigningKeyStore {

    /** The stored keys, oldest first; empty on first start. */
    List<StoredKey> load() throws IOException;

    /** Replaces the stored keys. */
    void save(List<StoredKey> keys) throws IOException;
}
