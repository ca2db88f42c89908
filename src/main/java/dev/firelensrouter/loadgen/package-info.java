/**
 * The Forward load generator behind {@code loadgen}: FireLens-shaped records at a set rate over
 * several connections, in any mode, with gzip and acks, counting what was sent and acknowledged.
 */
package dev.firelensrouter.loadgen;
