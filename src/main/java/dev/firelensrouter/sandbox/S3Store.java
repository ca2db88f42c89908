package dev.firelensrouter.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The sandbox S3's storage: objects are files under {@code DIR/s3/<bucket>/<key>} (other keys as
 * {@link S3KeyFiles} says), parts of multipart uploads under {@code DIR/s3-multipart/<upload
 * id>/<part number>} until completed; a body is written to {@code DIR/s3-tmp} first, then moved.
 */
final class S3Store {
  static final long MIN_PART = 5L * 1024 * 1024;

  /** S3's limit on an object key, in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  /** An S3 error to answer. */
  static final class S3Error extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    S3Error(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  record ObjectInfo(String key, long size, String etag) {}

  record CompletedPart(int number, String etag) {}

  private final Path objects;
  private final Path uploads;
  private final Path staging;
  private final S3KeyFiles files;

  S3Store(Path dir) throws IOException {
    this.objects = Files.createDirectories(dir.resolve("s3"));
    this.uploads = Files.createDirectories(dir.resolve("s3-multipart"));
    this.staging = Files.createDirectories(dir.resolve("s3-tmp"));
    this.files = new S3KeyFiles(objects, dir.resolve("s3-hashed"));
  }

  void createBucket(String bucket) throws IOException, S3Error {
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") || bucket.contains("..")) {
      throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
    Files.createDirectories(objects.resolve(bucket));
  }

  Path bucket(String bucket) throws S3Error {
    Path b = objects.resolve(bucket);
    if (bucket.isEmpty() || bucket.contains("..") || !Files.isDirectory(b)) {
      throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    return b;
  }

  /** The file holding the object. */
  Path object(String bucket, String key) throws S3Error {
    bucket(bucket);
    return files
        .find(bucket, key)
        .orElseThrow(() -> new S3Error(404, "NoSuchKey", "The specified key does not exist."));
  }

  /** Deletes the object; a key that is not there is no error (S3 answers 204 for it too). */
  void delete(String bucket, String key) throws IOException, S3Error {
    bucket(bucket);
    files.delete(bucket, key);
  }

  /** Stores a body; answers its ETag (hex MD5). */
  String put(String bucket, String key, InputStream body) throws IOException, S3Error {
    bucket(bucket);
    try {
      checkKey(key);
    } catch (S3Error e) {
      // Read the body first, as S3 does: an unread body would make the answer a reset.
      body.transferTo(OutputStream.nullOutputStream());
      throw e;
    }
    Path tmp = staging.resolve(UUID.randomUUID().toString());
    try {
      String etag = write(body, tmp);
      files.install(bucket, key, tmp);
      return etag;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  String createUpload(String bucket, String key) throws IOException, S3Error {
    bucket(bucket);
    checkKey(key);
    String id = UUID.randomUUID().toString().replace("-", "");
    Path d = Files.createDirectories(uploads.resolve(id));
    Files.writeString(d.resolve("target"), bucket + "/" + key);
    return id;
  }

  String putPart(String bucket, String key, String uploadId, int number, InputStream body)
      throws IOException, S3Error {
    Path d = upload(bucket, key, uploadId);
    if (number < 1 || number > 10_000) {
      throw new S3Error(
          400, "InvalidArgument", "Part number must be an integer between 1 and 10000");
    }
    Path tmp = d.resolve(number + ".tmp");
    String etag = write(body, tmp);
    Files.move(tmp, d.resolve(Integer.toString(number)), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(d.resolve(number + ".etag"), etag);
    return etag;
  }

  /** Joins the listed parts into the object, checking them as S3 does. */
  String complete(String bucket, String key, String uploadId, List<CompletedPart> parts)
      throws IOException, S3Error {
    Path d = upload(bucket, key, uploadId);
    if (parts.isEmpty()) {
      throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed");
    }
    int previous = 0;
    MessageDigest all = md5();
    for (int i = 0; i < parts.size(); i++) {
      CompletedPart p = parts.get(i);
      if (p.number() <= previous) {
        throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
      }
      previous = p.number();
      Path etagFile = d.resolve(p.number() + ".etag");
      if (!Files.exists(etagFile)
          || !Files.readString(etagFile).equals(p.etag().replace("\"", ""))) {
        throw new S3Error(
            400, "InvalidPart", "One or more of the specified parts could not be found.");
      }
      if (i < parts.size() - 1 && Files.size(d.resolve(Integer.toString(p.number()))) < MIN_PART) {
        throw new S3Error(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed object size.");
      }
      all.update(HexFormat.of().parseHex(Files.readString(etagFile)));
    }
    bucket(bucket);
    Path tmp = staging.resolve(UUID.randomUUID().toString());
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        for (CompletedPart p : parts) {
          Files.copy(d.resolve(Integer.toString(p.number())), out);
        }
      }
      files.install(bucket, key, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
    FileTrees.delete(d);
    return HexFormat.of().formatHex(all.digest()) + "-" + parts.size();
  }

  void abort(String bucket, String key, String uploadId) throws IOException, S3Error {
    FileTrees.delete(upload(bucket, key, uploadId));
  }

  /** Multipart uploads created and neither completed nor aborted (what S3 keeps billing). */
  int openUploads() throws IOException {
    try (Stream<Path> dirs = Files.list(uploads)) {
      return (int) dirs.filter(Files::isDirectory).count();
    }
  }

  List<ObjectInfo> list(String bucket, String prefix) throws IOException, S3Error {
    bucket(bucket);
    return files.list(bucket, prefix);
  }

  /** S3 takes any key of 1 to 1,024 UTF-8 bytes. */
  private static void checkKey(String key) throws S3Error {
    if (key.isEmpty()) {
      throw new S3Error(400, "InvalidArgument", "An object key must not be empty.");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3Error(400, "KeyTooLongError", "Your key is too long");
    }
  }

  private Path upload(String bucket, String key, String uploadId) throws IOException, S3Error {
    bucket(bucket);
    Path d = uploads.resolve(uploadId.replaceAll("[^A-Za-z0-9]", "_"));
    if (!Files.isDirectory(d)
        || !Files.readString(d.resolve("target")).equals(bucket + "/" + key)) {
      throw new S3Error(404, "NoSuchUpload", "The specified upload does not exist.");
    }
    return d;
  }

  private static String write(InputStream body, Path file) throws IOException {
    MessageDigest md5 = md5();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), md5)) {
      body.transferTo(out);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
