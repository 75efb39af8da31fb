/**
 * The {@code twolayer} command line: one class per command, which parses its options into the library's
 * options records, calls the library and prints (docs/cli.md fixes the commands, their JSON and exit
 * codes).
 *
 * <p>Start at {@link io.github.twolayer.cli.Main}: the commands, the BLAS choice, and the mapping of
 * failures to exit codes (2 bad input, 3 data that cannot support recovery, 4 a cluster's failure, 130
 * interrupted). {@code Common} holds the options several commands share (picocli mixins) and the
 * printing of tables and JSON; {@code TerminalProgress} draws progress bars on a terminal only.
 */
package io.github.twolayer.cli;
