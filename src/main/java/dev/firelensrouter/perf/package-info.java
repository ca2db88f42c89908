/**
 * The load-test harness: runs a scenario file end to end (router as a child process on the sandbox
 * emulators, driven by the load generator), counts every record by id, and writes a report.
 */
package dev.firelensrouter.perf;
