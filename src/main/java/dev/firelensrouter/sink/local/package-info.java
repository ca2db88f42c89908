/**
 * Local outputs for development and benchmarks: {@code stdout}, {@code file} (JSON lines, one file
 * per rendered path) and {@code null} (discards, like Fluent Bit's out_null).
 */
package dev.firelensrouter.sink.local;
