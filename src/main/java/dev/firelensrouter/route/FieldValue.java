package dev.firelensrouter.route;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordView;

/**
 * One field of a record read in place for a condition: whether it is there, whether it is a number,
 * its number and its text. Nothing is decoded beyond the field itself.
 */
final class FieldValue {
  private final byte[] buffer;
  private final int position;
  private final int end;

  private FieldValue(byte[] buffer, int position, int end) {
    this.buffer = buffer;
    this.position = position;
    this.end = end;
  }

  /** The field at {@code path}, or {@code null} when it is missing or nil. */
  static FieldValue read(Event e, RecordFields.Path path) {
    int p = RecordFields.find(e, path);
    int end = e.recordOffset() + e.recordLength();
    if (p < 0 || RecordView.kind(e.recordBuffer(), p, end) == RecordView.Kind.NIL) {
      return null;
    }
    return new FieldValue(e.recordBuffer(), p, end);
  }

  boolean isNumber() {
    RecordView.Kind k = RecordView.kind(buffer, position, end);
    return k == RecordView.Kind.INT || k == RecordView.Kind.FLOAT;
  }

  double number() {
    return RecordView.doubleValue(buffer, position, end);
  }

  /** The field's text (see {@link RecordFields#valueText}); may be null for unreadable bytes. */
  String text() {
    return RecordFields.valueText(buffer, position, end);
  }

  /** The field as a number: its value, or its text parsed; NaN when it is not numeric. */
  double numeric() {
    if (isNumber()) {
      return number();
    }
    return Literal.parseNumber(text());
  }
}
