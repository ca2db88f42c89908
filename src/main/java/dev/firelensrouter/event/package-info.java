/**
 * The data that flows through the router: events kept as msgpack bytes, chunks of events, and the
 * ticket that tracks when a chunk may be acknowledged. Imports nothing else of ours.
 */
package dev.firelensrouter.event;
