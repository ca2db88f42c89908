/**
 * The CloudWatch Logs destination: PutLogEvents per (group, stream) within every limit, rejected
 * events dead-lettered, groups and streams created on demand, no sequence tokens.
 */
package dev.firelensrouter.sink.cloudwatch;
