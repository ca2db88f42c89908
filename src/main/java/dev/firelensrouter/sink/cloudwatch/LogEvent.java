package dev.firelensrouter.sink.cloudwatch;

/**
 * One event of a PutLogEvents call; {@code size} is its UTF-8 length plus the 26 bytes AWS adds.
 */
record LogEvent(long timestamp, String message, int size) {
  static final int OVERHEAD = 26;

  /** The largest message AWS takes: 1 MiB per event including the overhead. */
  static final int MAX_MESSAGE_BYTES = 1_048_576 - OVERHEAD;
}
