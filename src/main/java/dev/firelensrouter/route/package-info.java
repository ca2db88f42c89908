/**
 * The routing engine: tag patterns, field conditions, transforms and the route table compiled from
 * the config, the {@link dev.firelensrouter.route.Router} that consumes the ring, and explain.
 */
package dev.firelensrouter.route;
