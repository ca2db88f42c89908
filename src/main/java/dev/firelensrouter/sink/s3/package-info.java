/**
 * The S3 destination: records staged on disk per object key (compressed as they go), objects closed
 * by encoded size or age and uploaded with PutObject or multipart, recovered at start-up.
 */
package dev.firelensrouter.sink.s3;
