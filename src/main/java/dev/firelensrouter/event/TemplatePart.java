package dev.firelensrouter.event;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** One piece of a compiled {@link Template}: literal text, a time directive, or a variable. */
sealed interface TemplatePart {
  /** What one render reads. */
  record Context(String tag, Event event, TemplateScope scope, TimeFields time) {}

  void append(Context c, StringBuilder out);

  default void collectVariables(Set<String> vars) {}

  record Literal(String text) implements TemplatePart {
    @Override
    public void append(Context c, StringBuilder out) {
      out.append(text);
    }
  }

  record Strftime(char directive) implements TemplatePart {
    @Override
    public void append(Context c, StringBuilder out) {
      c.time().append(directive, c.event(), out);
    }

    @Override
    public void collectVariables(Set<String> vars) {
      vars.add("time");
    }
  }

  /** What a variable reads. */
  enum Source {
    TAG,
    TAG_PART,
    ECS,
    FIELD,
    CONTAINER_NAME,
    UUID,
    INDEX
  }

  /**
   * @param tagPart the N of {@code tag[N]}
   * @param path the field path for {@link Source#FIELD} and {@link Source#CONTAINER_NAME}
   * @param fallback the {@code default:} value, or {@code null}
   */
  record Variable(String name, Source source, int tagPart, RecordFields.Path path, String fallback)
      implements TemplatePart {
    @Override
    public void append(Context c, StringBuilder out) {
      String v = resolve(c);
      if (v == null || v.isEmpty()) {
        v = fallback;
      }
      if (v != null) {
        out.append(v);
      }
    }

    private String resolve(Context c) {
      return switch (source) {
        case TAG -> c.tag();
        case TAG_PART -> tagPart(c.tag(), tagPart);
        case ECS -> c.scope().value(name);
        case FIELD -> RecordFields.text(c.event(), path);
        case CONTAINER_NAME -> {
          String n = RecordFields.text(c.event(), path);
          yield n != null && n.startsWith("/") ? n.substring(1) : n;
        }
        case UUID -> randomUuid();
        case INDEX -> Long.toString(c.scope().index());
      };
    }

    @Override
    public void collectVariables(Set<String> vars) {
      vars.add(name);
    }

    static String tagPart(String tag, int n) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        int dot = tag.indexOf('.', start);
        if (dot < 0) {
          return null;
        }
        start = dot + 1;
      }
      int dot = tag.indexOf('.', start);
      return dot < 0 ? tag.substring(start) : tag.substring(start, dot);
    }

    /** A version-4 UUID from the thread's fast random source (names need not be secret). */
    static String randomUuid() {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      long hi = (r.nextLong() & ~0xf000L) | 0x4000L;
      long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
      return new java.util.UUID(hi, lo).toString();
    }
  }
}
