package dev.gatehouse.app.seed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.Roles;
import dev.gatehouse.identity.passwords.PasswordPolicy;
import dev.gatehouse.identity.users.Emails;
import dev.gatehouse.server.config.Variables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A seed file, read and validated: every problem is collected with its path ({@code users[1].email: ...}) and
 * thrown together as a {@link SeedException}. Strings may use {@code ${VAR}} and {@code ${VAR:-default}} from the
 * environment, as in the configuration file, so passwords need not be written into it.
 */
public record SeedFile(List<Role> roles, List<User> users, List<Organization> organizations) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** A custom role ({@code org:billing}) and the permissions it grants. */
    public record Role(String key, String name, Set<String> permissions) {
    }

    /** A user; {@code password} null means "generate one". */
    public record User(String email, String name, boolean emailVerified, String password) {
        @Override
        public String toString() {
            return "User[email=" + email + ", name=" + name + ", emailVerified=" + emailVerified
                    + ", password=" + (password == null ? "generated" : "***") + "]";
        }
    }

    public record Organization(String slug, String name, List<Member> members) {
    }

    /** A membership; the role is in its {@code org:} form. */
    public record Member(String email, String role) {
    }

    public static SeedFile load(Path file, Function<String, String> environment) throws SeedException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SeedException(List.of(file + ": cannot read (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(text, environment);
    }

    public static SeedFile parse(String yaml, Function<String, String> environment) throws SeedException {
        Reader r = new Reader(environment);
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new SeedException(List.of("(file): not valid YAML" + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new SeedFile(List.of(), List.of(), List.of());
        }
        if (!r.mapping(root, "(file)", Set.of("roles", "users", "organizations"))) {
            throw new SeedException(r.errors);
        }
        List<Role> roles = new ArrayList<>();
        r.each(root, "roles", (node, at) -> roles.add(r.role(node, at)));
        List<User> users = new ArrayList<>();
        Set<String> emails = new HashSet<>();
        r.each(root, "users", (node, at) -> {
            User u = r.user(node, at);
            if (u.email() != null && !emails.add(Emails.key(u.email()))) {
                r.errors.add(at + ".email: " + u.email() + " is listed twice");
            }
            users.add(u);
        });
        List<Organization> orgs = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        r.each(root, "organizations", (node, at) -> {
            Organization o = r.organization(node, at);
            if (o.slug() != null && !slugs.add(o.slug())) {
                r.errors.add(at + ".slug: " + o.slug() + " is listed twice");
            }
            orgs.add(o);
        });
        if (!r.errors.isEmpty()) {
            throw new SeedException(r.errors);
        }
        return new SeedFile(List.copyOf(roles), List.copyOf(users), List.copyOf(orgs));
    }

    /** Typed reads that record an error with the path instead of throwing, so one pass finds every problem. */
    private static final class Reader {
        final List<String> errors = new ArrayList<>();
        private final Function<String, String> environment;

        Reader(Function<String, String> environment) {
            this.environment = environment;
        }

        interface Visitor {
            void visit(JsonNode node, String at);
        }

        boolean mapping(JsonNode node, String at, Set<String> keys) {
            if (!node.isObject()) {
                errors.add(at + ": must be a mapping");
                return false;
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!keys.contains(name)) {
                    errors.add(("(file)".equals(at) ? "" : at + ".") + name + ": unknown key");
                }
            }
            return true;
        }

        void each(JsonNode parent, String key, Visitor visitor) {
            JsonNode list = parent.get(key);
            if (list == null || list.isNull()) {
                return;
            }
            if (!list.isArray()) {
                errors.add(key + ": must be a list");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                visitor.visit(list.get(i), key + "[" + i + "]");
            }
        }

        String string(JsonNode node, String key, String at) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                errors.add(at + "." + key + ": must be a single value");
                return null;
            }
            return substitute(v.asText(), at + "." + key);
        }

        String required(JsonNode node, String key, String at) {
            String s = string(node, key, at);
            if (s == null || s.isBlank()) {
                errors.add(at + "." + key + ": is required");
                return null;
            }
            return s;
        }

        /** Runs a validator from the identity model, turning its refusal into an error at {@code at}. */
        String valid(String value, String at, Function<String, String> validator) {
            if (value == null) {
                return null;
            }
            try {
                return validator.apply(value);
            } catch (IllegalArgumentException e) {
                errors.add(at + ": " + e.getMessage());
                return null;
            }
        }

        Role role(JsonNode node, String at) {
            if (!mapping(node, at, Set.of("key", "name", "permissions"))) {
                return new Role(null, null, Set.of());
            }
            String key = valid(required(node, "key", at), at + ".key", Roles::requireValidRole);
            if (key != null && (key.equals(Roles.ADMIN) || key.equals(Roles.MEMBER))) {
                errors.add(at + ".key: " + key + " is built in" + (key.equals(Roles.ADMIN) ? " and holds every permission" : ""));
            }
            String name = string(node, "name", at);
            Set<String> permissions = new LinkedHashSet<>();
            JsonNode list = node.get("permissions");
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    String p = valid(substitute(list.get(i).asText(), at), at + ".permissions[" + i + "]", Roles::requireValidPermission);
                    if (p != null) {
                        permissions.add(p);
                    }
                }
            } else if (list != null && !list.isNull()) {
                errors.add(at + ".permissions: must be a list");
            }
            return new Role(key, name == null && key != null ? key.substring(4) : name, Set.copyOf(permissions));
        }

        User user(JsonNode node, String at) {
            if (!mapping(node, at, Set.of("email", "name", "email_verified", "password"))) {
                return new User(null, null, false, null);
            }
            String email = valid(required(node, "email", at), at + ".email", Emails::requireValid);
            String name = string(node, "name", at);
            String verified = string(node, "email_verified", at);
            if (verified != null && !verified.equals("true") && !verified.equals("false")) {
                errors.add(at + ".email_verified: must be true or false");
            }
            String password = string(node, "password", at);
            if (password != null) {
                PasswordPolicy.standard().problem(password).ifPresent(problem ->
                        errors.add(at + ".password: " + problem.message()));
            }
            return new User(email, name, "true".equals(verified), password);
        }

        Organization organization(JsonNode node, String at) {
            if (!mapping(node, at, Set.of("slug", "name", "members"))) {
                return new Organization(null, null, List.of());
            }
            String slug = valid(required(node, "slug", at), at + ".slug", dev.gatehouse.identity.orgs.Organization::requireValidSlug);
            String name = required(node, "name", at);
            List<Member> members = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            JsonNode list = node.get("members");
            if (list != null && !list.isNull() && !list.isArray()) {
                errors.add(at + ".members: must be a list");
            } else if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    String m = at + ".members[" + i + "]";
                    JsonNode item = list.get(i);
                    if (!mapping(item, m, Set.of("email", "role"))) {
                        continue;
                    }
                    String email = valid(required(item, "email", m), m + ".email", Emails::requireValid);
                    String role = valid(string(item, "role", m) == null ? Roles.MEMBER : string(item, "role", m), m + ".role",
                            Roles::requireValidRole);
                    if (email != null && !seen.add(Emails.key(email))) {
                        errors.add(m + ".email: " + email + " is listed twice");
                    }
                    members.add(new Member(email, role));
                }
            }
            return new Organization(slug, name, List.copyOf(members));
        }

        private String substitute(String value, String at) {
            return Variables.substitute(value, at, environment, errors);
        }
    }
}
