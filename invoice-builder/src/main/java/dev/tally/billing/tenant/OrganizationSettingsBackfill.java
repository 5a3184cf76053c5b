package dev.tally.billing.tenant;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, publishes the settings of organizations created before settings were published
 * (they have no record on the organizations topic yet), once: an organization claimed here is
 * never claimed again, by this or any other instance.
 */
@Context
public final class OrganizationSettingsBackfill {

    private static final Logger LOG = LoggerFactory.getLogger(OrganizationSettingsBackfill.class);

    private final TenantService tenants;

    public OrganizationSettingsBackfill(TenantService tenants) {
        this.tenants = tenants;
    }

    @PostConstruct
    void publishMissing() {
        int published = tenants.publishMissingSettings();
        if (published > 0) {
            LOG.info("settings of {} existing organizations enqueued for the organizations topic", published);
        }
    }
}
