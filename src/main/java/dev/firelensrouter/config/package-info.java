/**
 * The YAML config: located parsing with {@code ${ENV}} interpolation, typed reading that reports
 * every problem as {@code FILE:LINE:COL: message}, and the immutable config records.
 */
package dev.firelensrouter.config;
