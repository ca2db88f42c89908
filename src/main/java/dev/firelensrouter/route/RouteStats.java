package dev.firelensrouter.route;

import java.util.List;

/**
 * One route's counters as {@code /routes} shows them.
 *
 * @param matched records the route took
 * @param dropped records its transforms dropped (sample, rate_limit)
 * @param sent records it handed on (one per record, however many outputs)
 * @param held records held by reassembly or multiline now
 */
public record RouteStats(
    String name, List<String> to, long matched, long dropped, long sent, long held) {}
