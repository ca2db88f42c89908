package dev.firelensrouter.sink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder one destination instance spools into, {@code spool/<output>/<instance>/}, held by a
 * lock on its {@code lock} file while the instance lives. A folder whose lock can be taken belongs
 * to no one (its process ended): a new instance adopts and replays it. A folder locked by this JVM
 * (an output a reload replaced, still draining) or by another process is left alone.
 */
final class SpoolDirectory {
  private static final String LOCK = "lock";

  final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Segments of this folder not deleted yet; guarded by the spool's lock. */
  int segments;

  private SpoolDirectory(Path path, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates and locks a new folder for this instance. */
  static SpoolDirectory create(Path path) throws IOException {
    Files.createDirectories(path);
    return tryLock(path)
        .orElseThrow(() -> new IOException("spool folder " + path + " is locked by someone else"));
  }

  /** Locks an existing folder if no one holds it. */
  static Optional<SpoolDirectory> tryLock(Path path) throws IOException {
    FileChannel ch =
        FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock l = ch.tryLock();
      if (l != null) {
        return Optional.of(new SpoolDirectory(path, ch, l));
      }
    } catch (OverlappingFileLockException e) {
      // held by this JVM: another instance of the same output lives
    }
    ch.close();
    return Optional.empty();
  }

  /** The segment files, oldest first. */
  Stream<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(path)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".seg"))
          .sorted()
          .toList()
          .stream();
    }
  }

  /** Lets the folder go; with {@code delete}, removes it (it must hold no segment). */
  void release(boolean delete) throws IOException {
    try {
      if (delete) {
        Files.deleteIfExists(path.resolve(LOCK));
        try {
          Files.deleteIfExists(path);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
          // someone left other files here: keep them
        }
      }
    } finally {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    }
  }
}
