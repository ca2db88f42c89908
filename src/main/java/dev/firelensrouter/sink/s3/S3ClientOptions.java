package dev.firelensrouter.sink.s3;

import java.net.URI;
import java.util.Optional;

/**
 * What an S3 output asks of its SDK client; the process's shared client factory builds (and may
 * share) an {@code S3AsyncClient} from it.
 *
 * @param region explicit region; empty: the SDK's region chain
 * @param endpoint endpoint override (a local emulator, a VPC endpoint); empty: AWS
 * @param roleArn role to assume through STS; empty: the default credentials chain
 * @param pathStyle path-style addressing (needed by local emulators)
 */
public record S3ClientOptions(
    Optional<String> region, Optional<URI> endpoint, Optional<String> roleArn, boolean pathStyle) {}
