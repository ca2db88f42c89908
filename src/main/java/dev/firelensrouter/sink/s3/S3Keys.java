package dev.firelensrouter.sink.s3;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.NameRules;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.event.Utf8;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys from the {@code key} template. Records share an object while their <em>partition</em>
 * is the same: the key rendered without {@code {{ uuid }}}, {@code {{ index }}} and the strftime
 * directives of the file name (after the last {@code /}). The key itself is rendered once per
 * object, from its first record (as Fluent Bit's {@code s3_key_format} does). A template without
 * {@code uuid} or {@code index} gets a random suffix before the file extension so two objects never
 * share a key. Characters S3 advises against are replaced by {@code _}. A key over S3's 1,024 UTF-8
 * bytes is cut before its unique part (the first {@code uuid} or {@code index} and what follows it,
 * or the random suffix and the extension), on a character boundary, so shortened keys stay
 * distinct.
 */
final class S3Keys {
  private static final Pattern UNIQUE = Pattern.compile("\\{\\{\\s*(uuid|index)\\s*}}");
  private static final Pattern TIME = Pattern.compile("%[YmdHMSyjbesz]");
  private static final String AVOID = "\\{}^%`]\">[~<#|";

  static final int MAX_KEY_BYTES = 1024;

  /** The template before its first unique variable (the whole template when it has none). */
  private final Template head;

  /** From the first unique variable to the end; null when the template has none. */
  private final Template tail;

  private final Template partition;
  private final boolean unique;
  private final Consumer<String> onShortened;

  S3Keys(String text) {
    this(text, key -> {});
  }

  /** {@code onShortened} hears each key that had to be cut to fit 1,024 bytes. */
  S3Keys(String text, Consumer<String> onShortened) {
    this.onShortened = onShortened;
    Matcher first = UNIQUE.matcher(text);
    this.unique = first.find();
    this.head = Template.compile(unique ? text.substring(0, first.start()) : text, ZoneOffset.UTC);
    this.tail = unique ? Template.compile(text.substring(first.start()), ZoneOffset.UTC) : null;
    int slash = lastSlashOutsideBraces(text);
    String dir = text.substring(0, slash + 1);
    String name = text.substring(slash + 1);
    String partitionText =
        UNIQUE.matcher(dir).replaceAll("")
            + TIME.matcher(UNIQUE.matcher(name).replaceAll("")).replaceAll("");
    this.partition = Template.compile(partitionText, ZoneOffset.UTC);
  }

  static String defaultKey(Compression compression) {
    String ext =
        switch (compression) {
          case GZIP -> ".jsonl.gz";
          case ZSTD -> ".jsonl.zst";
          case NONE -> ".jsonl";
        };
    return "{{ tag }}/%Y/%m/%d/%H/%M%S-{{ uuid }}" + ext;
  }

  /** Which open object this record belongs to. */
  String partition(String tag, Event event, TemplateScope scope) {
    return partition.render(tag, event, scope);
  }

  /** The key of a new object whose first record is {@code event}. */
  String objectKey(String tag, Event event, TemplateScope scope, long index) {
    TemplateScope indexed =
        new TemplateScope() {
          @Override
          public String value(String name) {
            return scope.value(name);
          }

          @Override
          public long index() {
            return index;
          }
        };
    String raw;
    int uniqueAt;
    if (unique) {
      String before = head.render(tag, event, indexed);
      raw = before + tail.render(tag, event, indexed);
      uniqueAt = before.length();
    } else {
      raw = head.render(tag, event, indexed);
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
      uniqueAt = suffixAt(raw);
      raw = raw.substring(0, uniqueAt) + "-" + suffix + raw.substring(uniqueAt);
    }
    Escaped escaped = escape(raw, uniqueAt);
    if (Utf8.encodedLength(escaped.key) <= MAX_KEY_BYTES) {
      return NameRules.s3Key(escaped.key);
    }
    String key = shorten(escaped.key, escaped.uniqueAt);
    onShortened.accept(key);
    return key;
  }

  static String withSuffix(String key, String suffix) {
    int at = suffixAt(key);
    return key.substring(0, at) + "-" + suffix + key.substring(at);
  }

  /** Where a random suffix goes: before the file name's extension, else at the end. */
  private static int suffixAt(String key) {
    int slash = key.lastIndexOf('/');
    int dot = key.indexOf('.', slash + 2);
    return dot < 0 ? key.length() : dot;
  }

  /**
   * Cuts the part before {@code uniqueAt} so the key fits, never inside a character. The file name
   * holding the unique part keeps its {@code /} and its start when that fits (the cut then falls in
   * the directories, so the object stays named as the template says); if the unique part and what
   * follows it alone are too long, the end is cut instead (nothing else fits).
   */
  private static String shorten(String key, int uniqueAt) {
    int slash = key.lastIndexOf('/', uniqueAt - 1);
    int keep =
        slash > 0 && Utf8.encodedLength(key.substring(slash)) < MAX_KEY_BYTES ? slash : uniqueAt;
    String rest = key.substring(keep);
    int room = MAX_KEY_BYTES - Utf8.encodedLength(rest);
    if (room < 0) {
      return NameRules.s3Key(key);
    }
    StringBuilder out = new StringBuilder(keep);
    int bytes = 0;
    for (int i = 0; i < keep; ) {
      int cp = key.codePointAt(i);
      int n = Utf8.encodedLength(new String(Character.toChars(cp)));
      if (bytes + n > room) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    // A cut right after a '/' or into a "." segment is tidied as any key is (it only gets shorter).
    return escape(out.append(rest).toString());
  }

  /** Replaces characters and path segments S3 advises against; cuts to 1,024 bytes. */
  static String escape(String raw) {
    return NameRules.s3Key(escape(raw, raw.length()).key);
  }

  /** An escaped key and where the unique part of the raw key now starts in it. */
  private record Escaped(String key, int uniqueAt) {}

  private static Escaped escape(String raw, int rawUniqueAt) {
    StringBuilder out = new StringBuilder(raw.length());
    int uniqueAt = -1;
    for (int i = 0; i < raw.length(); i++) {
      if (i == rawUniqueAt) {
        uniqueAt = out.length();
      }
      char c = raw.charAt(i);
      boolean lone =
          Character.isHighSurrogate(c)
              ? i + 1 >= raw.length() || !Character.isLowSurrogate(raw.charAt(i + 1))
              : Character.isLowSurrogate(c)
                  && (i == 0 || !Character.isHighSurrogate(raw.charAt(i - 1)));
      if (AVOID.indexOf(c) >= 0 || Character.isISOControl(c) || lone) {
        out.append('_');
      } else if (c == '/' && (out.length() == 0 || out.charAt(out.length() - 1) == '/')) {
        continue;
      } else {
        out.append(c);
      }
    }
    if (uniqueAt < 0) {
      uniqueAt = out.length();
    }
    String[] segments = out.toString().split("/", -1);
    StringBuilder key = new StringBuilder(out.length());
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.isEmpty() && i == segments.length - 1) {
        break;
      }
      if (key.length() > 0) {
        key.append('/');
      }
      key.append(s.equals(".") || s.equals("..") ? s.replace('.', '_') : s);
    }
    // Segments keep their length; only a trailing '/' may go, so the unique part stays in place.
    return new Escaped(key.toString(), Math.min(uniqueAt, key.length()));
  }

  private static int lastSlashOutsideBraces(String text) {
    int last = -1;
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("{{", i)) {
        depth++;
        i++;
      } else if (text.startsWith("}}", i) && depth > 0) {
        depth--;
        i++;
      } else if (text.charAt(i) == '/' && depth == 0) {
        last = i;
      }
    }
    return last;
  }
}
