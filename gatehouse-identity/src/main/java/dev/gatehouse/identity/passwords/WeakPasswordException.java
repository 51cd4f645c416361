package dev.gatehouse.identity.passwords;

/** A password the policy refuses; the message is the problem's, and never contains the password. */
public final class WeakPasswordException extends RuntimeException {
    private final transient PasswordProblem problem;

    public WeakPasswordException(PasswordProblem problem) {
        super(problem.message());
        this.problem = problem;
    }

    public PasswordProblem problem() {
        return problem;
    }
}
