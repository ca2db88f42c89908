package dev.firelensrouter.sink.local;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.DestinationContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Appends JSON lines to files whose path is a template (for example {@code ./out/{{ tag }}.jsonl}).
 */
final class FileDestination extends WritingDestination {
  /** Open files at most; the least recently opened is closed past this. */
  private static final int MAX_OPEN = 64;

  private final Template path;
  private final DestinationContext context;
  private final Map<String, OutputStream> open =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OutputStream> eldest) {
          if (size() > MAX_OPEN) {
            try {
              eldest.getValue().close();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return true;
          }
          return false;
        }
      };
  private final Set<OutputStream> dirty = new HashSet<>();

  FileDestination(DestinationContext context, LocalOutputConfig config) {
    super(context, config.format());
    this.context = context;
    this.path = config.path();
  }

  @Override
  protected OutputStream streamFor(String tag, Event event) throws IOException {
    String rendered = path.render(tag, event, context.scope());
    OutputStream out = open.get(rendered);
    if (out == null) {
      Path file = Path.of(rendered);
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      out =
          new BufferedOutputStream(
              Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
              64 * 1024);
      open.put(rendered, out);
    }
    dirty.add(out);
    return out;
  }

  @Override
  protected void flushStreams() throws IOException {
    for (OutputStream out : dirty) {
      out.flush();
    }
    dirty.clear();
  }

  @Override
  protected void closeStreams() throws IOException {
    for (OutputStream out : open.values()) {
      out.close();
    }
    open.clear();
    dirty.clear();
  }
}
