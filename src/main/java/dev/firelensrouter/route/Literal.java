package dev.firelensrouter.route;

/** A value written in a condition, kept as text and, when it reads as one, as a number. */
record Literal(String text, double number) {
  static Literal of(String text) {
    return new Literal(text, parseNumber(text));
  }

  boolean isNumber() {
    return !Double.isNaN(number);
  }

  /** True when the field equals this literal: as numbers if both are numbers, else as text. */
  boolean equalTo(FieldValue v) {
    if (v.isNumber() && isNumber()) {
      return v.number() == number;
    }
    String t = v.text();
    return t != null && t.equals(text);
  }

  /** Sign of field compared to this literal; {@code null} when they cannot be compared. */
  Integer compare(FieldValue v) {
    if (isNumber()) {
      double f = v.numeric();
      return Double.isNaN(f) ? null : Double.compare(f, number);
    }
    String t = v.text();
    return t == null ? null : Integer.signum(t.compareTo(text));
  }

  static double parseNumber(String s) {
    if (s == null || s.isEmpty() || s.length() > 40) {
      return Double.NaN;
    }
    char c = s.charAt(0);
    if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  @Override
  public String toString() {
    return isNumber() ? text : "\"" + text + "\"";
  }
}
