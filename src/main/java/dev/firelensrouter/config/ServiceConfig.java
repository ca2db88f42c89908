package dev.firelensrouter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code service:} section.
 *
 * @param admin where the admin HTTP server listens; port 0 picks a free one
 * @param memoryBudget bytes all outputs may buffer together; 0 means derive from the cgroup limit
 * @param grace the whole shutdown budget after SIGTERM
 * @param ringSize chunks the ring holds (a power of two)
 * @param awsRequestsPerSecond AWS service ({@code logs}, {@code firehose}, {@code s3}) to the
 *     requests per second all outputs of that service may make together (an account quota)
 */
public record ServiceConfig(
    HostPort admin,
    long memoryBudget,
    Duration grace,
    Path dataDir,
    boolean enrichEcs,
    String logFormat,
    int ringSize,
    Map<String, Double> awsRequestsPerSecond) {}
