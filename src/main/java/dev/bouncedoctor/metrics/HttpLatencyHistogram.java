package dev.bouncedoctor.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;

/** Request latency as a histogram, so that percentiles can be computed across all replicas. */
@Singleton
public class HttpLatencyHistogram implements MeterFilter {

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getName().equals("http.server.requests")) {
            return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
        }
        return config;
    }
}
