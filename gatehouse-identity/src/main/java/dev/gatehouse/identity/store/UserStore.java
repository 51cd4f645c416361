package dev.gatehouse.identity.store;

import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import dev.gatehouse.identity.users.UserId;
import java.util.Optional;

/**
 * Users, by id and by email (compared case-insensitively). Blocking: never call on an event loop.
 * Implementations are thread-safe; every method is one transaction.
 * Each metadata may be at most 65,536 characters as JSON; more is an {@link IllegalArgumentException}.
 */
public interface UserStore {

    /** Stores a new user with a fresh id; {@link EmailTakenException} when the email is in use, in any case. */
    User create(NewUser user);

    Optional<User> find(UserId id);

    Optional<User> findByEmail(String email);

    /**
     * Writes the email, verified flag, name, picture and the three metadata of {@code user} and stamps
     * {@code updatedAt}. The password hash and the last sign-in time are not written here (see
     * {@link #setPasswordHash} and {@link #recordSignIn}), so a profile edit cannot undo a password change.
     * {@link NotFoundException} when the user is gone, {@link EmailTakenException} when the new email is another's.
     */
    User update(User user);

    /** Replaces the password hash (a PHC string; null removes the password). {@link NotFoundException} when gone. */
    User setPasswordHash(UserId id, String passwordHash);

    /** Stamps {@code lastSignInAt} with the store's clock. {@link NotFoundException} when the user is gone. */
    User recordSignIn(UserId id);

    /** Deletes the user and, with it, every membership; false when there was no such user. */
    boolean delete(UserId id);

    /** Users oldest first (then by id), a page at a time, with the total count. */
    Page<User> list(PageRequest page);
}
