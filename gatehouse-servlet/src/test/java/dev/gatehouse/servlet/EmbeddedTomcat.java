package dev.gatehouse.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** A real Tomcat 11 on 127.0.0.1, port 0, with contexts set up by the test. */
final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    private final Connector connector = new Connector();

    EmbeddedTomcat() {
        try {
            tomcat.setBaseDir(Files.createTempDirectory("gatehouse-tomcat").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
    }

    /** Adds a context at {@code path} ("" for the root) configured by {@code setup}. */
    EmbeddedTomcat context(String path, Consumer<Context> setup) {
        Context context = tomcat.addContext(path, null);
        setup.accept(context);
        return this;
    }

    EmbeddedTomcat start() {
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    static void filter(Context context, String name, Filter filter, String pattern) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(pattern);
        context.addFilterMap(map);
    }

    static void servlet(Context context, String name, Servlet servlet, String pattern) {
        Tomcat.addServlet(context, name, servlet);
        context.addServletMappingDecoded(pattern, name);
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
