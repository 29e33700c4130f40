package io.rapidfire.admin;

import java.util.List;

/**
 * What the admin front ends are given at startup (the process reads them from the configuration).
 *
 * @param token         RAPIDFIRE_ADMIN_TOKEN: acts and reads everything; empty: none set
 * @param readToken     RAPIDFIRE_ADMIN_READ_TOKEN: reads the masked view, never acts; empty: none set
 * @param trusted       RAPIDFIRE_ADMIN_TRUSTED: who may act without a token when none is set ("loopback", addresses)
 * @param defaultTenant RAPIDFIRE_DEFAULT_TENANT: the tenant of the original's routes without ?companyId=
 * @param maxBodyBytes  RAPIDFIRE_MAX_BODY_BYTES: the longest policy spec body read
 */
public record AdminSettings(String token, String readToken, List<String> trusted, String defaultTenant,
                            int maxBodyBytes) {
    public AdminSettings {
        trusted = List.copyOf(trusted);
    }
}
