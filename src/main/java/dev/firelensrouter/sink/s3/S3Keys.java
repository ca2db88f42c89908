package dev.firelensrouter.sink.s3;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.NameRules;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Object keys from the {@code key} template. Records share an object while their <em>partition</em>
 * is the same: the key rendered without {@code {{ uuid }}}, {@code {{ index }}} and the strftime
 * directives of the file name (after the last {@code /}). The key itself is rendered once per
 * object, from its first record (as Fluent Bit's {@code s3_key_format} does). A template without
 * {@code uuid} or {@code index} gets a random suffix before the file extension so two objects never
 * share a key. Characters S3 advises against are replaced by {@code _}.
 */
final class S3Keys {
  private static final Pattern UNIQUE = Pattern.compile("\\{\\{\\s*(uuid|index)\\s*}}");
  private static final Pattern TIME = Pattern.compile("%[YmdHMSyjbesz]");
  private static final String AVOID = "\\{}^%`]\">[~<#|";

  private final Template key;
  private final Template partition;
  private final boolean unique;

  S3Keys(String text) {
    this.key = Template.compile(text, ZoneOffset.UTC);
    this.unique = key.variables().contains("uuid") || key.variables().contains("index");
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
    String raw = key.render(tag, event, indexed);
    if (!unique) {
      raw = withSuffix(raw, Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
    }
    return escape(raw);
  }

  static String withSuffix(String key, String suffix) {
    int slash = key.lastIndexOf('/');
    int dot = key.indexOf('.', slash + 2);
    return dot < 0 ? key + "-" + suffix : key.substring(0, dot) + "-" + suffix + key.substring(dot);
  }

  /** Replaces characters and path segments S3 advises against; cuts to 1,024 bytes. */
  static String escape(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (AVOID.indexOf(c) >= 0 || Character.isISOControl(c)) {
        out.append('_');
      } else if (c == '/' && (out.length() == 0 || out.charAt(out.length() - 1) == '/')) {
        continue;
      } else {
        out.append(c);
      }
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
    return NameRules.s3Key(key.toString());
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
