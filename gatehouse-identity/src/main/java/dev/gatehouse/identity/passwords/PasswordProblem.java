package dev.gatehouse.identity.passwords;

/** Why a password was refused, with a message to show the person choosing it. */
public record PasswordProblem(Reason reason, String message) {

    public enum Reason { TOO_SHORT, TOO_LONG, COMMON }
}
