package dev.firelensrouter.route;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tag glob as Fluent Bit's {@code Match} reads it: {@code *} (and {@code **}) match any run of
 * characters including dots, {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [!x]}
 * a class, {@code {a,b}} either word. The whole tag must match. Compiled to a regex once.
 *
 * @param whole true for a glob (the whole tag must match), false for a {@code tag_regex} (found
 *     anywhere in the tag unless anchored)
 */
public record TagPattern(String source, Pattern regex, boolean whole) {

  /**
   * The regex a glob compiles to (whole-tag match), for tools that write another program's config:
   * plain syntax (classes, groups, alternation) that Fluent Bit's Onigmo reads as Java does.
   */
  public static String globRegex(String glob) {
    return glob(glob).regex().pattern();
  }

  boolean matches(String tag) {
    return whole ? regex.matcher(tag).matches() : regex.matcher(tag).find();
  }

  /** A {@code tag_regex}: found anywhere in the tag unless anchored. */
  static TagPattern regex(String source) {
    return new TagPattern(source, Pattern.compile(source), false);
  }

  /**
   * Compiles a glob.
   *
   * @throws IllegalArgumentException naming the column of the problem
   */
  static TagPattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    int braces = 0;
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
          }
          re.append(".*");
        }
        case '?' -> re.append('.');
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            throw new IllegalArgumentException("column " + (i + 1) + ": '[' is never closed");
          }
          String body = glob.substring(i + 1, close);
          re.append('[');
          if (body.startsWith("!") || body.startsWith("^")) {
            re.append('^');
            body = body.substring(1);
          }
          for (char b : body.toCharArray()) {
            if (b == '\\' || b == '[' || b == '&' || b == '^') {
              re.append('\\');
            }
            re.append(b);
          }
          re.append(']');
          i = close;
        }
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces == 0) {
            throw new IllegalArgumentException("column " + (i + 1) + ": '}' without '{'");
          }
          braces--;
          re.append(')');
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        default -> {
          if ("\\.^$|()+".indexOf(c) >= 0) {
            re.append('\\');
          }
          re.append(c);
        }
      }
      i++;
    }
    if (braces > 0) {
      throw new IllegalArgumentException("'{' is never closed by '}'");
    }
    try {
      return new TagPattern(glob, Pattern.compile(re.toString()), true);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a valid glob: " + e.getDescription(), e);
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
