/**
 * The command line: {@code run}, {@code check}, {@code explain}, {@code loadgen}, {@code sandbox}.
 */
package dev.firelensrouter.cli;
