package dev.gatehouse.identity.store;

import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.OrganizationId;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.orgs.Role;
import dev.gatehouse.identity.orgs.RoleCatalog;
import dev.gatehouse.identity.users.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Organizations (unique slug), memberships with a role, and the instance's role catalog. Blocking: never call on
 * an event loop. Implementations are thread-safe; every method is one transaction. Memberships are read with
 * the permissions their role grants at that moment (see {@link RoleCatalog}).
 * Each metadata may be at most 65,536 characters as JSON; more is an {@link IllegalArgumentException}.
 */
public interface OrganizationStore {

    /** Stores a new organization with a fresh id; {@link SlugTakenException} when the slug is in use. */
    Organization create(NewOrganization organization);

    Optional<Organization> find(OrganizationId id);

    Optional<Organization> findBySlug(String slug);

    /** Writes slug, name and metadata and stamps {@code updatedAt}; {@link NotFoundException}, {@link SlugTakenException}. */
    Organization update(Organization organization);

    /** Deletes the organization and its memberships; false when there was no such organization. */
    boolean delete(OrganizationId id);

    /** Organizations oldest first (then by id), a page at a time, with the total count. */
    Page<Organization> list(PageRequest page);

    /**
     * Makes {@code user} a member of {@code organization} with {@code role} ({@code admin} and {@code org:admin}
     * are the same). {@link NotFoundException} when either is missing, {@link UnknownRoleException} when the
     * catalog has no such role, {@link AlreadyMemberException} when the user is a member already.
     */
    OrganizationMembership addMember(OrganizationId organization, UserId user, String role);

    /** Gives an existing member another role; {@link NotFoundException} when not a member, {@link UnknownRoleException}. */
    OrganizationMembership changeRole(OrganizationId organization, UserId user, String role);

    /** False when the user was not a member. */
    boolean removeMember(OrganizationId organization, UserId user);

    Optional<OrganizationMembership> membership(OrganizationId organization, UserId user);

    /** An organization's members, oldest membership first, a page at a time. */
    Page<OrganizationMembership> members(OrganizationId organization, PageRequest page);

    /** Every organization the user belongs to, oldest membership first: what a sign-in needs for its tokens. */
    List<OrganizationMembership> membershipsOf(UserId user);

    /** The roles of the instance with their resolved permissions. */
    RoleCatalog roles();

    /**
     * Creates or replaces a role and the permissions it grants (for {@code org:member} too). {@code org:admin}
     * cannot be defined: it always holds every permission. Returns the role as the new catalog resolves it.
     */
    Role defineRole(Role role);
}
