package dev.firelensrouter.route;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One field condition of a route's {@code all}/{@code any}/{@code none} list. A missing field never
 * satisfies a condition, except {@code exists: false}.
 */
sealed interface Condition {
  RecordFields.Path field();

  boolean test(Event e);

  /** The condition as a user would write it, for explain. */
  String describe();

  /** Why {@code e} fails or passes, in a few words, for explain. */
  default String observed(Event e) {
    FieldValue v = FieldValue.read(e, field());
    return v == null ? field() + " is missing" : field() + " is " + quote(v.text());
  }

  private static String quote(String s) {
    if (s == null) {
      return "unreadable";
    }
    return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
  }

  record Equals(RecordFields.Path field, Literal value) implements Condition {
    @Override
    public boolean test(Event e) {
      FieldValue v = FieldValue.read(e, field);
      return v != null && value.equalTo(v);
    }

    @Override
    public String describe() {
      return field + " equals " + value;
    }
  }

  record NotEquals(RecordFields.Path field, Literal value) implements Condition {
    @Override
    public boolean test(Event e) {
      FieldValue v = FieldValue.read(e, field);
      return v != null && !value.equalTo(v);
    }

    @Override
    public String describe() {
      return field + " not_equals " + value;
    }
  }

  record Matches(RecordFields.Path field, Pattern pattern) implements Condition {
    @Override
    public boolean test(Event e) {
      FieldValue v = FieldValue.read(e, field);
      if (v == null) {
        return false;
      }
      String t = v.text();
      return t != null && pattern.matcher(t).find();
    }

    @Override
    public String describe() {
      return field + " matches /" + pattern.pattern() + "/";
    }
  }

  record In(RecordFields.Path field, List<Literal> values) implements Condition {
    @Override
    public boolean test(Event e) {
      FieldValue v = FieldValue.read(e, field);
      if (v == null) {
        return false;
      }
      for (Literal l : values) {
        if (l.equalTo(v)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String describe() {
      return field + " in " + values;
    }
  }

  record Exists(RecordFields.Path field, boolean expected) implements Condition {
    @Override
    public boolean test(Event e) {
      return (FieldValue.read(e, field) != null) == expected;
    }

    @Override
    public String describe() {
      return field + " exists: " + expected;
    }
  }

  /** {@code gt} (sign 1) or {@code lt} (sign -1). */
  record Compare(RecordFields.Path field, Literal value, int sign) implements Condition {
    @Override
    public boolean test(Event e) {
      FieldValue v = FieldValue.read(e, field);
      if (v == null) {
        return false;
      }
      Integer c = value.compare(v);
      return c != null && c == sign;
    }

    @Override
    public String describe() {
      return field + (sign > 0 ? " gt " : " lt ") + value;
    }
  }
}
