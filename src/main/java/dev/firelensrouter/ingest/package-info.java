/**
 * The Fluentd Forward-protocol input: Netty listeners (TCP, Unix socket, TLS), the msgpack frame
 * scanner, request decoding into chunks, the shared-key handshake, backpressure and ordered acks.
 */
package dev.firelensrouter.ingest;
