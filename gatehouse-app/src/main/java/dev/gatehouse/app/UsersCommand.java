package dev.gatehouse.app;

import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.Page;
import dev.gatehouse.identity.store.PageRequest;
import dev.gatehouse.identity.store.UserStore;
import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse users add|list|set-password|delete}: the embedded provider's users, before there is an admin API. */
@Command(name = "users", description = "Manage the users of the embedded identity provider.",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.SetPassword.class,
                UsersCommand.Delete.class})
final class UsersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static User requireUser(UserStore users, String email) {
        return users.findByEmail(email).orElseThrow(() -> new IdentityCommand.CommandFailure("no user with email " + email));
    }

    @Command(name = "add", description = {"Create a user. The password is read from standard input with --password-stdin;",
            "without it one is generated and printed once."})
    static final class Add extends IdentityCommand {
        @Option(names = "--email", required = true, description = "Email address (unique, compared without regard to case).")
        String email;

        @Option(names = "--name", description = "Display name.")
        String name;

        @Option(names = "--email-verified", description = "Mark the email address as verified.")
        boolean emailVerified;

        @Option(names = "--password-stdin", description = "Read the password from standard input (one line).")
        boolean passwordStdin;

        @Option(names = "--password", hidden = true, arity = "0..1", fallbackValue = "")
        String passwordArgument;

        private String password;

        @Override
        void prepare() throws IOException {
            NewUser.withEmail(email);
            password = choosePassword(passwordStdin, passwordArgument);
        }

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            UserStore users = db.users(clock, random);
            User user = users.create(NewUser.withEmail(email).name(name).emailVerified(emailVerified)
                    .passwordHash(hasher(random).hash(password)));
            out.println("Created user " + user.id() + " <" + user.email() + ">");
            if (!passwordStdin) {
                out.println("Generated password (shown only now, store it safely): " + password);
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List users, oldest first.")
    static final class ListUsers extends IdentityCommand {
        @Option(names = "--limit", defaultValue = "100", description = "At most this many users (1-500, default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many users first.")
        int offset;

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            Page<User> page = db.users(clock, random).list(new PageRequest(offset, limit));
            if (page.totalCount() == 0) {
                out.println("No users yet.");
                return 0;
            }
            TextTable table = new TextTable("ID", "EMAIL", "NAME", "VERIFIED", "PASSWORD", "CREATED", "LAST SIGN-IN");
            for (User u : page.items()) {
                table.row(u.id().value(), u.email(), u.name() == null ? "-" : u.name(), u.emailVerified() ? "yes" : "no",
                        u.hasPassword() ? "yes" : "no", u.createdAt().toString(),
                        u.lastSignInAt() == null ? "never" : u.lastSignInAt().toString());
            }
            table.print(out);
            out.println(summary(page, "user"));
            return 0;
        }
    }

    @Command(name = "set-password", description = {"Replace a user's password. It is read from standard input with",
            "--password-stdin; without it one is generated and printed once."})
    static final class SetPassword extends IdentityCommand {
        @Option(names = "--email", required = true, description = "The user's email address.")
        String email;

        @Option(names = "--password-stdin", description = "Read the password from standard input (one line).")
        boolean passwordStdin;

        @Option(names = "--password", hidden = true, arity = "0..1", fallbackValue = "")
        String passwordArgument;

        private String password;

        @Override
        void prepare() throws IOException {
            password = choosePassword(passwordStdin, passwordArgument);
        }

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            UserStore users = db.users(clock, random);
            User user = requireUser(users, email);
            users.setPasswordHash(user.id(), hasher(random).hash(password));
            out.println("Changed the password of " + user.email());
            if (!passwordStdin) {
                out.println("Generated password (shown only now, store it safely): " + password);
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a user and all of its organization memberships.")
    static final class Delete extends IdentityCommand {
        @Option(names = "--email", required = true, description = "The user's email address.")
        String email;

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            UserStore users = db.users(clock, random);
            User user = requireUser(users, email);
            List<OrganizationMembership> memberships = db.organizations(clock, random).membershipsOf(user.id());
            users.delete(user.id());
            out.println("Deleted user " + user.id() + " <" + user.email() + ">"
                    + (memberships.isEmpty() ? "" : " and " + count(memberships.size(), "membership")));
            return 0;
        }
    }

    static String summary(Page<?> page, String noun) {
        if (page.items().isEmpty()) {
            return "No " + noun + "s at offset " + page.request().offset() + " (" + count(page.totalCount(), noun) + " in all)";
        }
        long from = page.request().offset() + 1L;
        long to = page.request().offset() + (long) page.items().size();
        if (from == 1 && to == page.totalCount()) {
            return count(page.totalCount(), noun);
        }
        return noun.substring(0, 1).toUpperCase() + noun.substring(1) + "s " + from + "-" + to + " of " + page.totalCount()
                + (page.hasMore() ? " (use --offset " + to + " for more)" : "");
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
