package dev.firelensrouter.sink.cloudwatch;

import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.BatchingOptions;
import java.net.URI;
import java.util.Optional;

/** Options of {@code type: cloudwatch_logs}. */
record CloudWatchLogsConfig(
    Template logGroup,
    Template logStream,
    Optional<String> region,
    Optional<URI> endpoint,
    Optional<String> roleArn,
    Optional<String> message,
    boolean autoCreateGroup,
    Optional<Integer> retentionDays,
    Optional<String> logGroupClass,
    boolean deadLetterOversize,
    boolean restampOutOfRange,
    BatchingOptions batching) {}
