/**
 * Amazon ECS task metadata (TMDE v4 {@code /task}, read once at start) exposed to templates as
 * {@code ecs.*} and to the {@code enrich_ecs} transform.
 */
package dev.firelensrouter.ecs;
