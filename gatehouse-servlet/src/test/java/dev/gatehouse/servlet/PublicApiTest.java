package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.webhooks.Webhook;
import dev.gatehouse.testing.TestIssuer;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK's public API, listed by reflection and compared with {@code src/test/resources/public-api.txt}, so an
 * unintended change (a new public method, a changed signature) fails the build. The listing also proves that the
 * JOSE library never shows in a public signature. After an intended change, run this test with
 * {@code GATEHOUSE_WRITE_PUBLIC_API=1} in the environment to rewrite the file, and review its diff.
 */
class PublicApiTest {
    /** Each SDK package with one class in it, to find where the package's classes are. */
    private static final Map<String, Class<?>> PACKAGES = Map.of(
            "dev.gatehouse.core", Gatehouse.class,
            "dev.gatehouse.core.webhooks", Webhook.class,
            "dev.gatehouse.servlet", GatehouseFilter.class,
            "dev.gatehouse.testing", TestIssuer.class);

    @Test
    void thePublicApiIsTheCheckedInOne() throws Exception {
        String actual = listing();
        if ("1".equals(System.getenv("GATEHOUSE_WRITE_PUBLIC_API"))) {
            Files.writeString(Path.of("src/test/resources/public-api.txt"), actual);
        }
        String expected;
        try (InputStream in = PublicApiTest.class.getResourceAsStream("/public-api.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).as("public API (intended? rerun with GATEHOUSE_WRITE_PUBLIC_API=1 and review the diff)").isEqualTo(expected);
    }

    @Test
    void noPublicSignatureMentionsTheJoseLibrary() throws Exception {
        assertThat(listing().lines().filter(line -> line.contains("com.nimbusds"))).isEmpty();
    }

    @Test
    void theListingCoversEveryPackage() throws Exception {
        String listing = listing();
        for (String pkg : PACKAGES.keySet()) {
            assertThat(listing).contains(" " + pkg + ".");
        }
        assertThat(listing).contains("dev.gatehouse.core.Auth.has(dev.gatehouse.core.Check)")
                .doesNotContain("dev.gatehouse.core.access.").doesNotContain("dev.gatehouse.core.tokens.")
                .doesNotContain("TokenVerifier").doesNotContain("RemoteKeys");
    }

    static String listing() throws Exception {
        Map<String, List<String>> byClass = new TreeMap<>();
        for (Map.Entry<String, Class<?>> p : PACKAGES.entrySet()) {
            for (Class<?> c : classesIn(p.getKey(), p.getValue())) {
                if (isVisible(c)) {
                    byClass.put(c.getName(), describe(c));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        byClass.values().forEach(lines -> lines.forEach(line -> out.append(line).append('\n')));
        return out.toString();
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> describe(Class<?> c) {
        StringBuilder head = new StringBuilder(c.toGenericString());
        Type sup = c.getGenericSuperclass();
        if (sup != null && sup != Object.class && sup != Record.class && !(c.isEnum() && c.getSuperclass() == Enum.class)) {
            head.append(" extends ").append(sup.getTypeName());
        }
        if (c.getGenericInterfaces().length > 0) {
            head.append(c.isInterface() ? " extends " : " implements ")
                    .append(String.join(", ", Arrays.stream(c.getGenericInterfaces()).map(Type::getTypeName).toList()));
        }
        if (c.isSealed()) {
            head.append(" permits ").append(String.join(", ", Arrays.stream(c.getPermittedSubclasses()).map(Class::getName).toList()));
        }
        List<String> members = new ArrayList<>();
        Stream.<Member>concat(Stream.concat(Arrays.stream(c.getDeclaredConstructors()), Arrays.stream(c.getDeclaredMethods())),
                        Arrays.stream(c.getDeclaredFields()))
                .filter(m -> !m.isSynthetic() && (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())))
                .filter(m -> !(m instanceof Method method && method.isBridge()))
                .forEach(m -> members.add("  " + (m instanceof Constructor<?> k ? k.toGenericString()
                        : m instanceof Method method ? method.toGenericString() : ((Field) m).toGenericString())));
        members.replaceAll(m -> m.replace(" synchronized ", " ")); // how a method locks is not part of its contract
        members.sort(null);
        List<String> lines = new ArrayList<>();
        lines.add(head.toString());
        lines.addAll(members);
        return lines;
    }

    private static List<Class<?>> classesIn(String pkg, Class<?> anchor) throws Exception {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String dir = pkg.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location.resolve(dir))) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class")).forEach(n -> names.add(dir + n));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    String n = e.nextElement().getName();
                    if (n.startsWith(dir) && n.endsWith(".class") && n.indexOf('/', dir.length()) < 0) {
                        names.add(n);
                    }
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String n : names) {
            String className = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            if (!className.endsWith("package-info")) {
                classes.add(Class.forName(className, false, anchor.getClassLoader()));
            }
        }
        return classes;
    }
}
