package dev.firelensrouter.ingest;

/** The byte stream of a connection could not be framed; the connection must be closed. */
record FrameRejected(String reason, String detail) {}
