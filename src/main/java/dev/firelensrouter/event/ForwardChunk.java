package dev.firelensrouter.event;

import java.util.List;

/**
 * What one Forward request carried: a tag and its events, plus the ticket whose completion lets the
 * request be acknowledged. One ring slot holds one chunk.
 */
public record ForwardChunk(String tag, List<Event> events, ChunkTicket ticket) {}
