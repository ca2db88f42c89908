/**
 * Loopback emulators of the AWS APIs the destinations call, strict about limits and able to inject
 * faults, for {@code run --sandbox}, the {@code sandbox} command, tests and the perf harness.
 */
package dev.firelensrouter.sandbox;
