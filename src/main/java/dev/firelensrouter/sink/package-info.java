/**
 * The destination interface and the generic delivery engine every destination shares: bounded
 * buffers, batching, retry, rate limiting, dead letters and the delivery metrics.
 */
package dev.firelensrouter.sink;
