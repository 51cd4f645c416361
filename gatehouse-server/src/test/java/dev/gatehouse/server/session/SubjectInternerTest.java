package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.access.Subject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubjectInternerTest {

    /** A membership built from freshly made strings, as parsing one sign-in's claims gives. */
    private static Membership acme(String role) {
        return new Membership(new String("org_1"), new String("acme"), new String("Acme Corporation"), new String(role),
                new LinkedHashSet<>(List.of(new String("org:billing:read"), new String("org:reports:read"))));
    }

    private static Subject member(String userId, String role) {
        return new Subject(userId, Set.of(new String("user")), List.of(acme(role)), new String("org_1"));
    }

    @Test
    void equalMembershipsOfDifferentUsersAreOneInstance() {
        // 100,000 idle sessions must fit in 100 MiB: an organization's names and permissions are stored once, not per member.
        SubjectInterner interner = new SubjectInterner(100);
        Subject alice = interner.intern(member("user_a", "org:admin"));
        Subject bob = interner.intern(member("user_b", "org:admin"));

        assertThat(bob).isEqualTo(member("user_b", "org:admin"));
        assertThat(bob.organizations()).isSameAs(alice.organizations());
        assertThat(bob.organizations().get(0)).isSameAs(alice.organizations().get(0));
        assertThat(bob.roles()).isSameAs(alice.roles());
        assertThat(bob.activeOrganizationId()).isSameAs(alice.organizations().get(0).id());
    }

    @Test
    void differentRolesInTheSameOrganizationStayApart() {
        SubjectInterner interner = new SubjectInterner(100);
        Subject admin = interner.intern(member("user_a", "org:admin"));
        Subject reader = interner.intern(member("user_b", "org:member"));

        assertThat(reader.organizations().get(0).role()).isEqualTo("org:member");
        assertThat(admin.organizations().get(0).role()).isEqualTo("org:admin");
        assertThat(reader.organizations()).isNotSameAs(admin.organizations());
    }

    @Test
    void stopsSharingNewValuesAtItsLimitSoTheTablesStayBounded() {
        SubjectInterner interner = new SubjectInterner(2);
        for (int i = 0; i < 50; i++) {
            interner.intern(member("user_" + i, "org:role" + i));
        }
        // at most 2 memberships, 2 membership lists and 1 role set
        assertThat(interner.size()).isLessThanOrEqualTo(5);
        Subject late = interner.intern(member("user_x", "org:role49"));
        assertThat(late).isEqualTo(member("user_x", "org:role49"));
    }

    @Test
    void aSubjectWithoutOrganizationsOrRolesIsKeptAsIs() {
        Subject bare = new Subject("user_1", Set.of(), List.of(), null);
        assertThat(new SubjectInterner(10).intern(bare)).isEqualTo(bare);
    }
}
