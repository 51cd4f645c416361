package dev.gatehouse.app;

import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.orgs.Roles;
import dev.gatehouse.identity.store.AlreadyMemberException;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.OrganizationStore;
import dev.gatehouse.identity.store.Page;
import dev.gatehouse.identity.store.PageRequest;
import dev.gatehouse.identity.store.UserStore;
import dev.gatehouse.identity.users.User;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse orgs add|add-member|list}: organizations and memberships, before there is an admin API. */
@Command(name = "orgs", description = "Manage the organizations of the embedded identity provider.",
        subcommands = {OrgsCommand.Add.class, OrgsCommand.AddMember.class, OrgsCommand.ListOrgs.class})
final class OrgsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Organization requireOrganization(OrganizationStore orgs, String slug) {
        return orgs.findBySlug(slug).orElseThrow(() -> new IdentityCommand.CommandFailure("no organization with slug " + slug));
    }

    @Command(name = "add", description = "Create an organization.")
    static final class Add extends IdentityCommand {
        @Option(names = "--slug", required = true, description = "Unique, URL-safe name: lower-case letters, digits and hyphens.")
        String slug;

        @Option(names = "--name", required = true, description = "Display name.")
        String name;

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            Organization org = db.organizations(clock, random).create(new NewOrganization(slug, name));
            out.println("Created organization " + org.id() + " " + org.slug() + " (" + org.name() + ")");
            return 0;
        }
    }

    @Command(name = "add-member", description = "Make a user a member of an organization with a role.")
    static final class AddMember extends IdentityCommand {
        @Option(names = "--slug", required = true, description = "The organization's slug.")
        String slug;

        @Option(names = "--email", required = true, description = "The user's email address.")
        String email;

        @Option(names = "--role", defaultValue = Roles.MEMBER,
                description = "org:admin, org:member or a custom role (default: ${DEFAULT-VALUE}).")
        String role;

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            OrganizationStore orgs = db.organizations(clock, random);
            Organization org = requireOrganization(orgs, slug);
            User user = UsersCommand.requireUser(db.users(clock, random), email);
            OrganizationMembership membership;
            try {
                membership = orgs.addMember(org.id(), user.id(), role);
            } catch (AlreadyMemberException e) {
                String current = orgs.membership(org.id(), user.id()).map(OrganizationMembership::role).orElse("?");
                throw new CommandFailure(user.email() + " is already a member of " + org.slug() + " (" + current + ")");
            }
            out.println(user.email() + " is now " + membership.role() + " of " + org.slug()
                    + " (permissions: " + String.join(", ", membership.permissions().stream().sorted().toList()) + ")");
            return 0;
        }
    }

    @Command(name = "list", description = "List organizations, oldest first, with their members.")
    static final class ListOrgs extends IdentityCommand {
        @Option(names = "--limit", defaultValue = "100", description = "At most this many organizations (1-500, default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many organizations first.")
        int offset;

        @Override
        int run(IdentityDatabase db, PrintWriter out) {
            OrganizationStore orgs = db.organizations(clock, random);
            UserStore users = db.users(clock, random);
            Page<Organization> page = orgs.list(new PageRequest(offset, limit));
            if (page.totalCount() == 0) {
                out.println("No organizations yet.");
                return 0;
            }
            TextTable table = new TextTable("ID", "SLUG", "NAME", "MEMBERS");
            for (Organization org : page.items()) {
                Page<OrganizationMembership> members = orgs.members(org.id(), PageRequest.first(PageRequest.MAX_LIMIT));
                StringBuilder who = new StringBuilder();
                for (OrganizationMembership m : members.items()) {
                    String email = users.find(m.userId()).map(User::email).orElse(m.userId().value());
                    who.append(who.length() == 0 ? "" : ", ").append(email).append(" (").append(m.role()).append(')');
                }
                if (members.hasMore()) {
                    who.append(", and ").append(members.totalCount() - members.items().size()).append(" more");
                }
                table.row(org.id().value(), org.slug(), org.name(), who.length() == 0 ? "-" : who.toString());
            }
            table.print(out);
            out.println(UsersCommand.summary(page, "organization"));
            return 0;
        }
    }
}
