package dev.firelensrouter.event;

import java.nio.charset.StandardCharsets;

/**
 * Makes rendered names valid for their target. Characters the service refuses become {@code _},
 * names are cut to the service's length limit, and a name that comes out empty falls back to a
 * named default; the variants taking a {@link Runnable} call it then, so the caller can count it.
 *
 * <ul>
 *   <li>CloudWatch log group: 1..512 characters of {@code [A-Za-z0-9_./#-]}.
 *   <li>CloudWatch log stream: 1..512 characters, no {@code :} or {@code *}.
 *   <li>S3 key: 1..1024 UTF-8 bytes, no control characters, no leading {@code /}.
 *   <li>Firehose delivery stream: 1..64 characters of {@code [A-Za-z0-9_.-]}.
 * </ul>
 */
public final class NameRules {
  public static final String DEFAULT_LOG_GROUP = "/firelens-router/default";
  public static final String DEFAULT_LOG_STREAM = "default";
  public static final String DEFAULT_S3_KEY = "firelens-router/default";
  public static final String DEFAULT_DELIVERY_STREAM = "firelens-router-default";
  static final int FIREHOSE_MAX = 64;
  static final int CLOUDWATCH_MAX = 512;
  static final int S3_KEY_MAX_BYTES = 1024;
  private static final Runnable NOTHING = () -> {};

  private NameRules() {}

  public static String cloudWatchLogGroup(String raw) {
    return cloudWatchLogGroup(raw, NOTHING);
  }

  public static String cloudWatchLogGroup(String raw, Runnable onEmpty) {
    if (raw == null || raw.isEmpty()) {
      onEmpty.run();
      return DEFAULT_LOG_GROUP;
    }
    return keep(GROUP_CHAR, raw, CLOUDWATCH_MAX);
  }

  public static String cloudWatchLogStream(String raw) {
    return cloudWatchLogStream(raw, NOTHING);
  }

  public static String cloudWatchLogStream(String raw, Runnable onEmpty) {
    if (raw == null || raw.isEmpty()) {
      onEmpty.run();
      return DEFAULT_LOG_STREAM;
    }
    if (raw.length() <= CLOUDWATCH_MAX && firstRefused(raw, NameRules::streamChar) < 0) {
      return raw; // the usual case, once per record: no copy
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), CLOUDWATCH_MAX));
    for (int i = 0; i < raw.length() && out.length() < CLOUDWATCH_MAX; i++) {
      char c = raw.charAt(i);
      if (Character.isHighSurrogate(c) && out.length() + 2 > CLOUDWATCH_MAX) {
        break;
      }
      out.append(streamChar(c) ? c : '_');
    }
    return out.toString();
  }

  private static boolean streamChar(char c) {
    return c != ':' && c != '*' && !Character.isISOControl(c);
  }

  public static String firehoseStream(String raw) {
    if (raw == null || raw.isEmpty()) {
      return DEFAULT_DELIVERY_STREAM;
    }
    return keep(FIREHOSE_CHAR, raw, FIREHOSE_MAX);
  }

  private static final CharPredicate GROUP_CHAR = c -> letterOrDigit(c) || "_./#-".indexOf(c) >= 0;
  private static final CharPredicate FIREHOSE_CHAR = c -> letterOrDigit(c) || "_.-".indexOf(c) >= 0;

  private static boolean letterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * The characters {@code ok} takes kept, any other {@code _}; at most {@code max}. A name that is
   * valid already is answered as it is, without a copy.
   */
  private static String keep(CharPredicate ok, String raw, int max) {
    if (raw.length() <= max && firstRefused(raw, ok) < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), max));
    for (int i = 0; i < raw.length() && out.length() < max; i++) {
      char c = raw.charAt(i);
      out.append(ok.test(c) ? c : '_');
    }
    return out.toString();
  }

  private interface CharPredicate {
    boolean test(char c);
  }

  /** The index of the first character {@code ok} refuses, or -1. */
  private static int firstRefused(String raw, CharPredicate ok) {
    for (int i = 0; i < raw.length(); i++) {
      if (!ok.test(raw.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  public static String s3Key(String raw) {
    return s3Key(raw, NOTHING);
  }

  public static String s3Key(String raw, Runnable onEmpty) {
    int start = 0;
    while (raw != null && start < raw.length() && raw.charAt(start) == '/') {
      start++;
    }
    if (raw == null || start == raw.length()) {
      onEmpty.run();
      return DEFAULT_S3_KEY;
    }
    StringBuilder out = new StringBuilder(raw.length() - start);
    int bytes = 0;
    for (int i = start; i < raw.length(); i++) {
      char c = raw.charAt(i);
      String piece;
      if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
        piece = raw.substring(i, i + 2);
        i++;
      } else {
        piece = Character.isISOControl(c) || Character.isSurrogate(c) ? "_" : String.valueOf(c);
      }
      int n = piece.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > S3_KEY_MAX_BYTES) {
        break;
      }
      bytes += n;
      out.append(piece);
    }
    return out.toString();
  }
}
