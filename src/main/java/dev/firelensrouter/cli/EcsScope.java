package dev.firelensrouter.cli;

import dev.firelensrouter.ecs.EcsMetadata;
import java.net.http.HttpClient;
import java.time.Duration;

/** The ECS task metadata, read once at start (empty, with one warning, outside ECS). */
final class EcsScope {
  private EcsScope() {}

  static EcsMetadata load() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    return EcsMetadata.load(System.getenv(), client, Duration.ofSeconds(2), 3);
  }
}
