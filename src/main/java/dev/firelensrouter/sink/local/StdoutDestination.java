package dev.firelensrouter.sink.local;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.sink.DestinationContext;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** JSON lines on standard output. */
final class StdoutDestination extends WritingDestination {
  private final OutputStream out =
      new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);

  StdoutDestination(DestinationContext context, LineFormat format) {
    super(context, format);
  }

  @Override
  protected OutputStream streamFor(String tag, Event event) {
    return out;
  }

  @Override
  protected void flushStreams() throws IOException {
    out.flush();
  }

  @Override
  protected void closeStreams() throws IOException {
    out.flush();
  }
}
