/**
 * Where identity data lives: the contracts {@link dev.gatehouse.identity.store.UserStore} and
 * {@link dev.gatehouse.identity.store.OrganizationStore}, the embedded provider's
 * {@link dev.gatehouse.identity.store.RefreshTokenStore} (hashes only), and their JDBC implementation over HikariCP with Flyway
 * migrations ({@code db/migration}), on H2 (the embedded default, a file under {@code ./data}) or PostgreSQL.
 *
 * <p>Entry type: {@link dev.gatehouse.identity.store.IdentityDatabase#open}. Every call blocks on JDBC: never call
 * a store on an event loop; run it on a worker thread. Failures are typed by who is at fault: a
 * {@link dev.gatehouse.identity.store.ConflictException} or {@link dev.gatehouse.identity.store.NotFoundException}
 * is the caller's, a {@link dev.gatehouse.identity.store.StoreUnavailableException} is the database's.
 */
package dev.gatehouse.identity.store;
