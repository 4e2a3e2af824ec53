/* Statement traces and their golden files, shared by the trace suites
 * (test_trace.c: nested writes; test_sql.c: every operation kind).
 *
 * A trace_log collects what prisma_set_trace reports (normalized by the
 * runtime: placeholders all `?`, a list of identical row tuples as one with
 * a comment xN), one statement a line; a newline inside a statement is
 * written as the two characters \n. golden_check compares it with
 * <dir>/<name>.<backend>.txt and prints a unified diff (expected, then
 * actual) on a mismatch. The expected files are never rewritten
 * automatically: PRISMAC_TRACE_REGENERATE=1 rewrites them on purpose (see
 * tests/meson.build), then review `git diff tests/trace/expected`. */
#ifndef PRISMAC_TESTS_GOLDEN_H
#define PRISMAC_TESTS_GOLDEN_H

#include <stddef.h>

#include <prisma/prisma.h>

typedef struct trace_log {
    char **lines;
    size_t n, cap;
} trace_log;

/* Frees the lines; the log is empty and reusable. */
void trace_log_clear(trace_log *l);

/* Empties `l` and records every statement of `db` into it from now on. */
void trace_log_start(trace_log *l, prisma_client *db);

/* Stops recording on `db`. */
void trace_log_stop(prisma_client *db);

/* Checks `l` against <dir>/<name>.<backend>.txt (a check failure with a diff
 * on stderr), or rewrites that file when PRISMAC_TRACE_REGENERATE=1. */
void golden_check(const trace_log *l, const char *dir, const char *name);

#endif
