package dev.firelensrouter.route;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the transforms did that is not a drop: JSON left unparsed, partial messages joined or
 * emitted incomplete, multiline groups, failures. Shown on {@code /routes}.
 */
final class TransformCounters {
  final LongAdder parseJsonSkipped = new LongAdder();
  final LongAdder partialJoined = new LongAdder();
  final LongAdder partialIncomplete = new LongAdder();
  final LongAdder multilineJoined = new LongAdder();
  final LongAdder failed = new LongAdder();

  void parseJsonSkipped() {
    parseJsonSkipped.increment();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("parse_json_not_json", parseJsonSkipped.sum());
    m.put("partial_joined", partialJoined.sum());
    m.put("partial_incomplete", partialIncomplete.sum());
    m.put("multiline_joined", multilineJoined.sum());
    m.put("transform_failed", failed.sum());
    return m;
  }
}
