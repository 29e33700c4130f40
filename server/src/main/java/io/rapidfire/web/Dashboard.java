package io.rapidfire.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rapidfire.http.Answers;
import io.rapidfire.http.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The dashboard at /ui: a static page (HTML, JS, CSS under resources/web, uPlot from its WebJar), served by the API
 * process itself, with no build step and nothing fetched from the internet. It reads and acts only through the
 * admin JSON routes (/admin/*, /metrics), so it can do nothing a caller of those routes could not: reading follows
 * the admin rules (numbers masked without the token), acting needs the token. The webhook server does not depend
 * on this class; the process plugs it in ({@link #install}).
 */
public final class Dashboard {
    static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String> FILES = Map.of(
            "app.js", "/web/app.js", "app.css", "/web/app.css",
            "uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js", "uPlot.min.css", UPLOT + "uPlot.min.css");

    /** Everything from this server only, no inline script, no framing, forms post only here. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    private Dashboard() {
    }

    public static void install(HttpServer server) {
        server.route(HandlerType.GET, "/ui", ctx -> serve(ctx, "/web/index.html"));
        server.route(HandlerType.GET, "/ui/{file}", ctx -> {
            String path = FILES.get(ctx.pathParam("file"));
            if (path == null) {
                throw Answers.notFound(ctx, "no dashboard file " + Answers.clip(ctx.pathParam("file")) + "; the page is at /ui");
            }
            serve(ctx, path);
        });
    }

    private static void serve(Context ctx, String resource) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            String type = resource.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : resource.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            // The page loads only its own files and talks only to this server; no other site may frame it (a
            // clickjacked Flush or Replay), and the browser is told not to guess types.
            ctx.header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer").contentType(type).result(in.readAllBytes());
        }
    }
}
