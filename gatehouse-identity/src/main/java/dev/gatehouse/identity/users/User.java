package dev.gatehouse.identity.users;

import dev.gatehouse.identity.metadata.Metadata;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user as stored. Immutable; the {@code with...} methods give the changed copy that
 * {@code UserStore.update} writes. {@code passwordHash} is a PHC string (or null for a user without a password)
 * and {@code lastSignInAt} is null until the first sign-in; both change only through their own store
 * operations, never through {@code update}. Metadata follows Clerk: {@code publicMetadata} is readable by the
 * user's apps and set by the backend, {@code privateMetadata} never leaves the backend, {@code unsafeMetadata}
 * may be written by the user.
 */
public record User(
        UserId id,
        String email,
        boolean emailVerified,
        String name,
        String picture,
        String passwordHash,
        Metadata publicMetadata,
        Metadata privateMetadata,
        Metadata unsafeMetadata,
        Instant createdAt,
        Instant updatedAt,
        Instant lastSignInAt) {

    public User {
        Objects.requireNonNull(id, "id");
        email = Emails.requireValid(email);
        name = limited(name, 256, "name");
        picture = limited(picture, 2048, "picture");
        passwordHash = limited(passwordHash, 1024, "passwordHash");
        publicMetadata = publicMetadata == null ? Metadata.EMPTY : publicMetadata;
        privateMetadata = privateMetadata == null ? Metadata.EMPTY : privateMetadata;
        unsafeMetadata = unsafeMetadata == null ? Metadata.EMPTY : unsafeMetadata;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Null stays null; longer than {@code max} is refused here rather than by the database. */
    static String limited(String value, int max, String field) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters");
        }
        return value;
    }

    public boolean hasPassword() {
        return passwordHash != null;
    }

    public Optional<Instant> lastSignIn() {
        return Optional.ofNullable(lastSignInAt);
    }

    public User withEmail(String newEmail) {
        return new User(id, newEmail, emailVerified, name, picture, passwordHash, publicMetadata, privateMetadata,
                unsafeMetadata, createdAt, updatedAt, lastSignInAt);
    }

    public User withEmailVerified(boolean verified) {
        return new User(id, email, verified, name, picture, passwordHash, publicMetadata, privateMetadata,
                unsafeMetadata, createdAt, updatedAt, lastSignInAt);
    }

    public User withName(String newName) {
        return new User(id, email, emailVerified, newName, picture, passwordHash, publicMetadata, privateMetadata,
                unsafeMetadata, createdAt, updatedAt, lastSignInAt);
    }

    public User withPicture(String newPicture) {
        return new User(id, email, emailVerified, name, newPicture, passwordHash, publicMetadata, privateMetadata,
                unsafeMetadata, createdAt, updatedAt, lastSignInAt);
    }

    public User withPublicMetadata(Metadata metadata) {
        return new User(id, email, emailVerified, name, picture, passwordHash, metadata, privateMetadata,
                unsafeMetadata, createdAt, updatedAt, lastSignInAt);
    }

    public User withPrivateMetadata(Metadata metadata) {
        return new User(id, email, emailVerified, name, picture, passwordHash, publicMetadata, metadata,
                unsafeMetadata, createdAt, updatedAt, lastSignInAt);
    }

    public User withUnsafeMetadata(Metadata metadata) {
        return new User(id, email, emailVerified, name, picture, passwordHash, publicMetadata, privateMetadata,
                metadata, createdAt, updatedAt, lastSignInAt);
    }

    /** Leaves out the password hash and private metadata, so logging a user cannot leak either. */
    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + ", emailVerified=" + emailVerified + ", name=" + name
                + ", hasPassword=" + hasPassword() + ", createdAt=" + createdAt + ", lastSignInAt=" + lastSignInAt + "]";
    }
}
