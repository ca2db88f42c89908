/**
 * The ring between the Netty loops and the router thread, with its backpressure signal, and the
 * per-connection ordering of acks.
 */
package dev.firelensrouter.pipeline;
