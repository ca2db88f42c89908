/**
 * Running the router: wiring the parts from a config, the admin HTTP server (health, ready,
 * metrics, routes, reload), the metrics registry, signals, and the draining shutdown.
 */
package dev.firelensrouter.ops;
