/**
 * Organizations, memberships and the roles that grant permissions inside them.
 *
 * <p>Roles and permissions use Clerk's names: roles {@code org:<role>}, permissions
 * {@code org:<feature>:<permission>}. {@link dev.gatehouse.identity.orgs.RoleCatalog} is the one place that turns
 * a role into its permissions: {@code org:admin} holds every permission the catalog knows, {@code org:member} and
 * custom roles hold what they were given. Values only; storage lives in {@code store}.
 */
package dev.gatehouse.identity.orgs;
