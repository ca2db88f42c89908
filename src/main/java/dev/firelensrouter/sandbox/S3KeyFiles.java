package dev.firelensrouter.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which file holds the object under a key. An ordinary key (every {@code /}-separated segment a
 * usable file name: not empty, not starting with {@code .}, at most 255 UTF-8 bytes) is the file
 * {@code DIR/s3/<bucket>/<key>}, where users and tests read it. Any other key S3 takes (a long
 * segment, {@code .}, {@code ..}, {@code a//b}, a trailing {@code /}), and an ordinary one whose
 * path is taken by a folder or file of another key ({@code a} and {@code a/b}), is the file {@code
 * DIR/s3-hashed/<bucket>/<SHA-256 of the key>}, with the key itself beside it in {@code <hash>.key}
 * for listing.
 */
final class S3KeyFiles {
  /** The longest file name Linux and macOS file systems take, in bytes. */
  private static final int MAX_NAME_BYTES = 255;

  private final Path objects;
  private final Path hashed;

  S3KeyFiles(Path objects, Path hashed) {
    this.objects = objects;
    this.hashed = hashed;
  }

  /** The file holding the object, if there is one. */
  Optional<Path> find(String bucket, String key) {
    Optional<Path> plain = plain(bucket, key).filter(Files::isRegularFile);
    if (plain.isPresent()) {
      return plain;
    }
    return Optional.of(hashed(bucket, key)).filter(Files::isRegularFile);
  }

  /** Makes the (complete) file {@code staged} the object under the key, replacing any other. */
  void install(String bucket, String key, Path staged) throws IOException {
    Optional<Path> plain = plain(bucket, key).filter(p -> free(objects.resolve(bucket), p));
    Path data = hashed(bucket, key);
    if (plain.isPresent()) {
      Files.createDirectories(plain.get().getParent());
      move(staged, plain.get());
      deleteHashed(data);
    } else {
      Files.createDirectories(data.getParent());
      Files.writeString(sidecar(data), key, StandardCharsets.UTF_8);
      move(staged, data);
    }
  }

  /** Deletes the object, wherever it is; nothing if there is none. */
  void delete(String bucket, String key) throws IOException {
    Optional<Path> plain = plain(bucket, key).filter(Files::isRegularFile);
    if (plain.isPresent()) {
      Files.delete(plain.get());
      removeEmptyFolders(objects.resolve(bucket), plain.get().getParent());
    }
    deleteHashed(hashed(bucket, key));
  }

  /** Every object of the bucket whose key starts with {@code prefix}, in key order. */
  List<S3Store.ObjectInfo> list(String bucket, String prefix) throws IOException {
    List<S3Store.ObjectInfo> out = new ArrayList<>();
    Path b = objects.resolve(bucket);
    try (Stream<Path> files = Files.walk(b)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String key = b.relativize(f).toString().replace('\\', '/');
        // Dot names are no ordinary key: temporary files of older versions.
        if (key.startsWith(prefix) && !f.getFileName().toString().startsWith(".")) {
          out.add(new S3Store.ObjectInfo(key, Files.size(f), "-"));
        }
      }
    }
    Path h = hashed.resolve(bucket);
    if (Files.isDirectory(h)) {
      try (Stream<Path> files = Files.list(h)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = f.getFileName().toString();
          if (!name.endsWith(".key")) {
            continue;
          }
          Path data = f.resolveSibling(name.substring(0, name.length() - ".key".length()));
          if (Files.isRegularFile(data)) {
            String key = Files.readString(f, StandardCharsets.UTF_8);
            if (key.startsWith(prefix)) {
              out.add(new S3Store.ObjectInfo(key, Files.size(data), "-"));
            }
          }
        }
      }
    }
    out.sort(Comparator.comparing(S3Store.ObjectInfo::key));
    return out;
  }

  /** {@code DIR/s3/<bucket>/<key>} if every segment of the key is a usable file name. */
  private Optional<Path> plain(String bucket, String key) {
    Path p = objects.resolve(bucket);
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()
          || segment.startsWith(".")
          || segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        return Optional.empty();
      }
      try {
        Path name = p.getFileSystem().getPath(segment);
        if (!name.toString().equals(segment) || name.getNameCount() != 1) {
          return Optional.empty();
        }
        p = p.resolve(name);
      } catch (InvalidPathException e) {
        // A NUL, or a character the platform's file name encoding cannot hold.
        return Optional.empty();
      }
    }
    return Optional.of(p);
  }

  private Path hashed(String bucket, String key) {
    return hashed.resolve(bucket).resolve(sha256(key));
  }

  private static Path sidecar(Path data) {
    return data.resolveSibling(data.getFileName() + ".key");
  }

  private static void deleteHashed(Path data) throws IOException {
    Files.deleteIfExists(data);
    Files.deleteIfExists(sidecar(data));
  }

  /** No folder stands where the file goes, and no file where one of its folders goes. */
  private static boolean free(Path bucket, Path file) {
    if (Files.isDirectory(file)) {
      return false;
    }
    for (Path p = file.getParent(); !p.equals(bucket); p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        return false;
      }
    }
    return true;
  }

  /** Removes the folders a deleted key leaves empty, so that a later key may be a file there. */
  private static void removeEmptyFolders(Path bucket, Path folder) throws IOException {
    for (Path p = folder; !p.equals(bucket); p = p.getParent()) {
      try {
        if (!Files.deleteIfExists(p)) {
          return;
        }
      } catch (DirectoryNotEmptyException e) {
        return;
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
