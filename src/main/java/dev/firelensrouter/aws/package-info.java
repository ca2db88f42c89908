/**
 * The AWS SDK clients of the process: one Netty HTTP client on the shared event loops, explicit
 * region, endpoint override, STS role, and the SDK's own retries kept short.
 */
package dev.firelensrouter.aws;
