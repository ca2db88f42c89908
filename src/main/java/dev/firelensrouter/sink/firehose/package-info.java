/**
 * The Amazon Data Firehose destination: PutRecordBatch within every limit, resending only failed
 * records.
 */
package dev.firelensrouter.sink.firehose;
