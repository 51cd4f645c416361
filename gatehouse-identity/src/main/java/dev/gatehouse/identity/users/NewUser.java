package dev.gatehouse.identity.users;

import dev.gatehouse.identity.metadata.Metadata;

/**
 * What a caller supplies to create a user; the store adds the id and the times. {@code passwordHash} is an
 * already-hashed PHC string (see {@code passwords.PasswordHasher}) or null: the store never sees a password.
 */
public record NewUser(
        String email,
        boolean emailVerified,
        String name,
        String picture,
        String passwordHash,
        Metadata publicMetadata,
        Metadata privateMetadata,
        Metadata unsafeMetadata) {

    public NewUser {
        email = Emails.requireValid(email);
        name = User.limited(name, 256, "name");
        picture = User.limited(picture, 2048, "picture");
        passwordHash = User.limited(passwordHash, 1024, "passwordHash");
        publicMetadata = publicMetadata == null ? Metadata.EMPTY : publicMetadata;
        privateMetadata = privateMetadata == null ? Metadata.EMPTY : privateMetadata;
        unsafeMetadata = unsafeMetadata == null ? Metadata.EMPTY : unsafeMetadata;
    }

    /** A user with just an email; add the rest with the {@code with...} methods. */
    public static NewUser withEmail(String email) {
        return new NewUser(email, false, null, null, null, null, null, null);
    }

    public NewUser emailVerified(boolean verified) {
        return new NewUser(email, verified, name, picture, passwordHash, publicMetadata, privateMetadata, unsafeMetadata);
    }

    public NewUser name(String newName) {
        return new NewUser(email, emailVerified, newName, picture, passwordHash, publicMetadata, privateMetadata, unsafeMetadata);
    }

    public NewUser picture(String newPicture) {
        return new NewUser(email, emailVerified, name, newPicture, passwordHash, publicMetadata, privateMetadata, unsafeMetadata);
    }

    public NewUser passwordHash(String hash) {
        return new NewUser(email, emailVerified, name, picture, hash, publicMetadata, privateMetadata, unsafeMetadata);
    }

    public NewUser publicMetadata(Metadata metadata) {
        return new NewUser(email, emailVerified, name, picture, passwordHash, metadata, privateMetadata, unsafeMetadata);
    }

    public NewUser privateMetadata(Metadata metadata) {
        return new NewUser(email, emailVerified, name, picture, passwordHash, publicMetadata, metadata, unsafeMetadata);
    }

    public NewUser unsafeMetadata(Metadata metadata) {
        return new NewUser(email, emailVerified, name, picture, passwordHash, publicMetadata, privateMetadata, metadata);
    }

    @Override
    public String toString() {
        return "NewUser[email=" + email + ", name=" + name + ", hasPassword=" + (passwordHash != null) + "]";
    }
}
