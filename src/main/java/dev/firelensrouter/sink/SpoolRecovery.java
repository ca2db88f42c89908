package dev.firelensrouter.sink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * At start-up, finds the spool folders of {@code spool/<output>/} that no living instance holds
 * (their process ended, cleanly or not), checks every frame of their segments and hands them to the
 * new {@link Spool}. A torn last frame (the process died while writing) or a frame whose checksum
 * does not match ends the segment: the file is cut there and the bytes counted as lost, so a
 * damaged spool never stops the router from starting.
 */
final class SpoolRecovery {
  /** What was found: records to replay, segments cut and the bytes cut off. */
  record Found(long records, int truncated, long lostBytes) {
    static final Found NONE = new Found(0, 0, 0);
  }

  private SpoolRecovery() {}

  static Found recover(Path root, Spool spool) throws IOException {
    if (!Files.isDirectory(root)) {
      return Found.NONE;
    }
    List<Path> folders;
    try (Stream<Path> list = Files.list(root)) {
      folders = list.filter(Files::isDirectory).sorted().toList();
    }
    long records = 0;
    int truncated = 0;
    long lost = 0;
    for (Path folder : folders) {
      SpoolDirectory dir = SpoolDirectory.tryLock(folder).orElse(null);
      if (dir == null) {
        continue;
      }
      List<SpoolSegment> segments = new ArrayList<>();
      for (Path file : dir.segmentFiles().toList()) {
        SpoolSegment s = new SpoolSegment(file, dir, true);
        long size = Files.size(file);
        long good = scan(s, size);
        if (good < size) {
          truncated++;
          lost += size - good;
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(good);
          }
        }
        if (s.queued == 0) {
          Files.delete(file);
          continue;
        }
        s.size = good;
        s.flushedSize = good;
        s.sealed = true;
        segments.add(s);
        records += s.queued;
      }
      if (segments.isEmpty()) {
        dir.release(true);
      } else {
        spool.adopt(dir, segments);
      }
    }
    return new Found(records, truncated, lost);
  }

  /** Counts the frames of a segment into {@code s.queued}; returns where the valid ones end. */
  private static long scan(SpoolSegment s, long size) throws IOException {
    try (SegmentReader r = new SegmentReader(s, s.path, 0)) {
      while (true) {
        long at = r.position();
        try {
          if (r.next(size) == null) {
            return at;
          }
        } catch (SegmentReader.DamagedFrame e) {
          return at;
        }
        s.queued++;
      }
    }
  }
}
