package dev.tally.platform.database;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The PostgreSQL database of billing and settlement ({@code tally.database.*} or
 * {@code TALLY_DATABASE_*}).
 */
@ConfigurationProperties("tally.database")
public record DatabaseSettings(
        @Bindable(defaultValue = "jdbc:postgresql://localhost:15432/tally") @NotBlank String url,
        @Bindable(defaultValue = "tally") @NotBlank String user,
        @Bindable(defaultValue = "tally") String password,
        @Bindable(defaultValue = "10") @Min(1) int maxPoolSize) {}
