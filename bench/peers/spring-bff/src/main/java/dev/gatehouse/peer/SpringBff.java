package dev.gatehouse.peer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;

/**
 * The whole peer. Every request needs a signed-in session; {@code /api/**} goes to the upstream with the user's
 * access token as {@code Authorization: Bearer} (refreshed by Spring Security when it is about to expire).
 * Sessions and the tokens in them live in a {@link ConcurrentHashMap} in this process (Spring Session's
 * {@link ReactiveMapSessionRepository}), the closest match to Gatehouse's {@code session.store: memory}.
 */
@SpringBootApplication
@EnableSpringWebSession
public class SpringBff {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SpringBff.class, args);
        Duration lifetime = context.getEnvironment().getProperty("peer.max-lifetime", Duration.class, Duration.ofHours(2));
        exitAfter(context, lifetime);
    }

    /** A benchmark run that dies half-way must not leave the peer running for ever. */
    private static void exitAfter(ConfigurableApplicationContext context, Duration lifetime) {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(lifetime.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.exit(SpringApplication.exit(context));
        }, "peer-max-lifetime");
        reaper.setDaemon(true);
        reaper.start();
    }

    @Bean
    ReactiveSessionRepository<?> sessionRepository() {
        return new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
    }

    /** Keeps the provider's tokens in the session, as BFF guides do, instead of Spring's default per-principal map. */
    @Bean
    ServerOAuth2AuthorizedClientRepository authorizedClientRepository() {
        return new WebSessionServerOAuth2AuthorizedClientRepository();
    }

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http) {
        return http
                .authorizeExchange(exchanges -> exchanges.anyExchange().authenticated())
                .oauth2Login(Customizer.withDefaults())
                .build();
    }

    /**
     * {@code /api/**} to the upstream, path unchanged, with {@code TokenRelay}. The browser's {@code Cookie} header
     * goes on to the upstream (Spring Cloud Gateway's default) unless {@code peer.strip-cookie=true}.
     */
    @Bean
    RouteLocator routes(RouteLocatorBuilder routes,
                        @Value("${peer.upstream}") String upstream,
                        @Value("${peer.strip-cookie:false}") boolean stripCookie) {
        return routes.routes()
                .route("api", r -> r.path("/api/**")
                        .filters(f -> stripCookie ? f.tokenRelay().removeRequestHeader("Cookie") : f.tokenRelay())
                        .uri(upstream))
                .build();
    }
}
