/**
 * {@code splitnve bench}: the project's headline figures measured side by side in one run, inside network namespaces
 * the bench creates and removes, printed as a table and as JSON.
 */
package org.splitnve.cli.bench;
