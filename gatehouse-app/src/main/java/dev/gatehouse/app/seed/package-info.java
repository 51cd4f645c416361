/**
 * Seed files for the embedded provider: the users, organizations, memberships and custom roles that should exist.
 * Entry types: {@link dev.gatehouse.app.seed.SeedFile} (read and validated, every error at once) and
 * {@link dev.gatehouse.app.seed.Seeder} (creates what is missing). It never updates or deletes: what exists wins.
 */
package dev.gatehouse.app.seed;
