/**
 * Users of the embedded identity provider: {@link dev.gatehouse.identity.users.User} (email, profile, password
 * hash, metadata, sign-in times) and {@link dev.gatehouse.identity.users.NewUser}, what a caller supplies to
 * create one. Values only: storage lives in {@code store}, password hashing and policy in {@code passwords}.
 */
package dev.gatehouse.identity.users;
