#include "golden.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"

void trace_log_clear(trace_log *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->lines[i]);
    free(l->lines);
    *l = (trace_log){ 0 };
}

static void log_add(trace_log *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->lines = realloc(l->lines, l->cap * sizeof *l->lines);
        ck_assert_ptr_nonnull(l->lines);
    }
    l->lines[l->n++] = strdup(s);
}

/* One statement a line: newlines inside a statement become \n. */
static void on_sql(void *arg, const char *sql)
{
    size_t len = strlen(sql), k = 0;
    char *s = malloc(2 * len + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < len; i++) {
        if (sql[i] == '\n') {
            s[k++] = '\\';
            s[k++] = 'n';
        } else if (sql[i] != '\r') {
            s[k++] = sql[i];
        }
    }
    s[k] = '\0';
    /* A batch's statement timeout is what is left of its time: not stable. */
    static const char timeout_prefix[] = "SET LOCAL statement_timeout = ";
    if (strncmp(s, timeout_prefix, sizeof timeout_prefix - 1) == 0 && k > sizeof timeout_prefix - 1)
        strcpy(s + sizeof timeout_prefix - 1, "<ms>");
    log_add(arg, s);
    free(s);
}

void trace_log_start(trace_log *l, prisma_client *db)
{
    trace_log_clear(l);
    prisma_set_trace(db, on_sql, l);
}

void trace_log_stop(prisma_client *db)
{
    prisma_set_trace(db, NULL, NULL);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Splits `text` in place into lines (a final newline ends the last line). */
static char **split_lines(char *text, size_t *n)
{
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    ck_assert_ptr_nonnull(v);
    *n = 0;
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (*n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            ck_assert_ptr_nonnull(v);
        }
        v[(*n)++] = p;
        if (!nl)
            break;
        *nl = '\0';
        if (nl > p && nl[-1] == '\r')
            nl[-1] = '\0';
        p = nl + 1;
    }
    return v;
}

/* Writes a unified diff of a (expected) against b (actual), 3 lines of context. */
static void print_diff(FILE *out, const char *name_a, char **a, size_t na, char **b, size_t nb)
{
    /* lcs[i][j]: the longest common subsequence of a[i..] and b[j..]. */
    size_t w = nb + 1;
    size_t *lcs = calloc((na + 1) * w, sizeof *lcs);
    ck_assert_ptr_nonnull(lcs);
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            lcs[i * w + j] = strcmp(a[i], b[j]) == 0 ? lcs[(i + 1) * w + j + 1] + 1
                             : lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
                                                                          : lcs[i * w + j + 1];
    /* The edit script: ' ' keep, '-' only in a, '+' only in b. */
    size_t nops = 0;
    char *op = malloc(na + nb + 1);
    size_t *ai = malloc((na + nb + 1) * sizeof *ai), *bi = malloc((na + nb + 1) * sizeof *bi);
    ck_assert(op && ai && bi);
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        ai[nops] = i;
        bi[nops] = j;
        if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
            op[nops++] = ' ';
            i++;
            j++;
        } else if (j < nb && (i == na || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
            op[nops++] = '+';
            j++;
        } else {
            op[nops++] = '-';
            i++;
        }
    }
    ai[nops] = i;
    bi[nops] = j;
    fprintf(out, "--- %s\n+++ actual trace\n", name_a);
    enum { CONTEXT = 3 };
    size_t k = 0;
    while (k < nops) {
        if (op[k] == ' ') {
            k++;
            continue;
        }
        /* A hunk: from CONTEXT keeps before this change to CONTEXT keeps after
         * the last change that is at most 2*CONTEXT keeps away from the next. */
        size_t start = k >= CONTEXT ? k - CONTEXT : 0;
        while (start < k && op[start] != ' ')
            start++;
        size_t end = k;
        for (;;) {
            while (end < nops && op[end] != ' ')
                end++;
            size_t keeps = 0;
            while (end + keeps < nops && op[end + keeps] == ' ')
                keeps++;
            if (end + keeps < nops && keeps <= 2 * CONTEXT) {
                end += keeps;
                continue;
            }
            end += keeps < CONTEXT ? keeps : CONTEXT;
            break;
        }
        size_t la = 0, lb = 0;
        for (size_t x = start; x < end; x++) {
            la += op[x] != '+';
            lb += op[x] != '-';
        }
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ai[start] + (la ? 1 : 0), la, bi[start] + (lb ? 1 : 0), lb);
        for (size_t x = start; x < end; x++)
            fprintf(out, "%c%s\n", op[x], op[x] == '+' ? b[bi[x]] : a[ai[x]]);
        k = end;
    }
    free(op);
    free(ai);
    free(bi);
    free(lcs);
}

void golden_check(const trace_log *l, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s.txt", dir, name, testdb->name);
    const char *regen = getenv("PRISMAC_TRACE_REGENERATE");
    if (regen && strcmp(regen, "1") == 0) {
        FILE *f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "cannot write %s", path);
        for (size_t i = 0; i < l->n; i++)
            fprintf(f, "%s\n", l->lines[i]);
        ck_assert_int_eq(fclose(f), 0);
        fprintf(stderr, "trace: wrote %s (%zu statements)\n", path, l->n);
        return;
    }
    char *text = read_file(path);
    ck_assert_msg(text != NULL,
                  "missing %s: write it on purpose with PRISMAC_TRACE_REGENERATE=1 (see tests/trace/test_trace.c)",
                  path);
    size_t n;
    char **want = split_lines(text, &n);
    bool same = n == l->n;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(want[i], l->lines[i]) == 0;
    if (!same) {
        fprintf(stderr, "trace of %s (%s) differs from the expected file:\n", name, testdb->name);
        print_diff(stderr, path, want, n, l->lines, l->n);
        fflush(stderr);
    }
    free(want);
    free(text);
    ck_assert_msg(same, "the trace of %s differs from %s (%zu statements, expected %zu; diff on stderr)", name, path,
                  l->n, n);
}

