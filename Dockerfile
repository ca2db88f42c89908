# syntax=docker/dockerfile:1
# firelens-router: build with Maven on JDK 17, run on a current JRE as a non-root sidecar.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DskipTests || true
COPY src ./src
COPY config ./config
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:25-jre AS runtime
RUN groupadd --system --gid 10001 router \
 && useradd --system --uid 10001 --gid router --home-dir /var/lib/firelens-router router \
 && mkdir -p /etc/firelens-router /var/lib/firelens-router \
 && chown router:router /var/lib/firelens-router
COPY --from=build /src/target/firelens-router.jar /opt/firelens-router/firelens-router.jar
COPY config/image-default.yaml /etc/firelens-router/config.yaml
COPY docker/healthcheck.sh /opt/firelens-router/healthcheck.sh
# A class-data-sharing archive from a training run (config check) makes start-up faster.
RUN java -XX:+UseSerialGC -XX:ArchiveClassesAtExit=/opt/firelens-router/app.jsa \
      -jar /opt/firelens-router/firelens-router.jar check --config /etc/firelens-router/config.yaml
USER router
WORKDIR /var/lib/firelens-router
# Forward input (FireLens's own Fluent Bit holds 24224 in a task: the task definition uses 24225).
# The admin endpoints (2020) listen on 127.0.0.1 only: health checks and sidecar scrapers share
# the task's network namespace, and POST /reload is not for the VPC.
EXPOSE 24224 24225
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=15 -XX:MaxMetaspaceSize=96m -XX:+UseSerialGC -XX:SurvivorRatio=4 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/opt/firelens-router/app.jsa -Xshare:auto"
# bash and /dev/tcp, not a second JVM every 10 s (JAVA_TOOL_OPTIONS would size it at 60 % of
# the container's memory).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/opt/firelens-router/healthcheck.sh", "127.0.0.1:2020"]
ENTRYPOINT ["java", "-jar", "/opt/firelens-router/firelens-router.jar", "run"]
# Your config: bind-mount it over this file, or pass --config env:NAME with the YAML in NAME.
CMD ["--config", "/etc/firelens-router/config.yaml"]
