package dev.gatehouse.servlet.quickstart;

// README:begin
import dev.gatehouse.core.Auth;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

@WebListener
public final class GatehouseSetup implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String gatehouseUrl = context.getInitParameter("gatehouse.url");   // e.g. https://app.example.com
        Gatehouse gatehouse = Gatehouse.builder()
                .issuer(gatehouseUrl)
                .audience("billing-api")
                .jwksUrl(gatehouseUrl + "/.well-known/jwks.json")
                .build();
        // Order matters: the GatehouseFilter runs first and stores the Auth; the guards read it.
        context.addFilter("gatehouse", new GatehouseFilter(gatehouse)).addMappingForUrlPatterns(null, true, "/*");
        context.addFilter("signed-in", GatehouseFilter.requireAuth()).addMappingForUrlPatterns(null, true, "/api/*");
        context.addFilter("billing-read", GatehouseFilter.requirePermission("org:billing:read"))
                .addMappingForUrlPatterns(null, true, "/api/invoices/*");
        context.addServlet("invoices", new InvoicesServlet()).addMapping("/api/invoices/*");
    }
}

final class InvoicesServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Auth auth = GatehouseFilter.auth(request);   // signed in here: requireAuth ran first
        response.setContentType("application/json");
        response.getWriter().write("{\"user\":\"" + auth.userId() + "\",\"organization\":\"" + auth.orgId() + "\"}");
    }
}
// README:end
