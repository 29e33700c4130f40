package io.rapidfire.admin;

import io.rapidfire.core.ConversationRef;
import io.rapidfire.http.HttpServer;

import java.util.function.BiFunction;

/**
 * Plugs the admin front ends into the HTTP server: the original's routes ({@link AdminRoutes}) and the dashboard's
 * JSON ({@link AdminApi}), both over one {@link AdminService} and one {@link AdminAccess}. The process does this
 * (cli Node); the webhook side never knows the admin exists.
 */
public final class Admin {
    private Admin() {
    }

    /**
     * @param whatsapp a phone on the original's routes as the webhooks would batch it (tenant, phone → conversation)
     */
    public static void install(HttpServer http, AdminService service, AdminSettings settings,
                               BiFunction<String, String, ConversationRef> whatsapp) {
        AdminAccess access = new AdminAccess(settings, http.edge());
        new AdminRoutes(service, access, settings.defaultTenant(), settings.maxBodyBytes(), whatsapp).register(http);
        new AdminApi(service, access, settings.defaultTenant()).register(http);
        new HandoverApi(service, access).register(http);
        new SearchApi(service, access).register(http);
        new ConversationPolicyApi(service, access, settings.maxBodyBytes()).register(http);
    }
}
