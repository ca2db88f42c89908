package dev.firelensrouter.sink.firehose;

import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.BatchingOptions;
import java.net.URI;
import java.util.Optional;

/**
 * Options of {@code type: firehose}.
 *
 * @param deliveryStream the stream's name, a template rendered for each record
 * @param message send this field's text instead of the whole record as JSON
 * @param newline end every record with a newline (so objects Firehose writes are JSON lines)
 * @param splitOversize {@code oversize: split}: cut a record over 1,000 KiB into several
 * @param aggregate pack consecutive small records into one Firehose record
 */
record FirehoseConfig(
    Template deliveryStream,
    Optional<String> region,
    Optional<URI> endpoint,
    Optional<String> roleArn,
    Optional<String> message,
    boolean newline,
    boolean splitOversize,
    boolean aggregate,
    BatchingOptions batching) {}
