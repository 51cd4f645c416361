package dev.gatehouse.servlet.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestIssuer;
import jakarta.servlet.ServletContextEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/** Runs the README's listener in a real Tomcat, as a container that found its @WebListener would. */
class QuickStartIT {

    @Test
    void theQuickStartProtectsInvoicesWith401And403() throws Exception {
        try (TestIssuer issuer = TestIssuer.start()) {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("gatehouse-tomcat").toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", null);
            context.addParameter("gatehouse.url", issuer.issuer());
            context.addServletContainerInitializer((classes, servletContext) ->
                    new GatehouseSetup().contextInitialized(new ServletContextEvent(servletContext)), null);
            tomcat.start();
            try {
                String base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/invoices/2026";
                HttpClient http = HttpClient.newHttpClient();
                String reader = issuer.token().subject("user_1").audience("billing-api")
                        .organization("org_1", "acme", "org:member", "org:billing:read").sign();
                String other = issuer.token().subject("user_2").audience("billing-api").organization("org_1", "acme", "org:member").sign();
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + reader).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo("{\"user\":\"user_1\",\"organization\":\"org_1\"}");
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + other).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                        .isEqualTo(401);
            } finally {
                tomcat.stop();
                tomcat.destroy();
            }
        }
    }
}
