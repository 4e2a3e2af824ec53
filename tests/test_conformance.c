/* Conformance with Prisma's own validation corpus.
 *
 * Runs `prismac validate --schema F` over every corpus file whose provider
 * prismac supports (sqlite, postgresql, postgres, cockroachdb, mysql, or none) and
 * compares with Prisma's verdict and the line of Prisma's first error. Every
 * disagreement must be listed, with its reason, in
 * conformance-known-differences.tsv; the thresholds are 98% verdict and 90%
 * first-error-line agreement. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *prismac_bin;
static const char *corpus_dir;   /* tests/corpus/psl */
static const char *known_path;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

/* Runs prismac validate on `path`; returns its exit status and the line of
 * the first "error:" diagnostic on stderr (0 when none). */
static int run_validate(const char *path, int *first_error_line)
{
    char errfile[] = "/tmp/prismac-conformance-XXXXXX";
    int fd = mkstemp(errfile);
    ck_assert_int_ge(fd, 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char a0[] = "prismac", a1[] = "validate", a2[] = "--schema";
    char *a3 = strdup(path);
    char *argv[] = { a0, a1, a2, a3, NULL };
    pid_t pid;
    int rc = posix_spawn(&pid, prismac_bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(a3);
    close(fd);
    ck_assert_msg(rc == 0, "cannot run %s: %s", prismac_bin, strerror(rc));
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "prismac crashed on %s", path);

    char *err = slurp(errfile, NULL);
    unlink(errfile);
    *first_error_line = 0;
    size_t plen = strlen(path);
    for (char *line = err; line && *line;) {
        char *nl = strchr(line, '\n');
        if (strncmp(line, path, plen) == 0 && line[plen] == ':') {
            int ln, col;
            char kind[16];
            if (sscanf(line + plen + 1, "%d:%d: %15[a-z]", &ln, &col, kind) == 3 && strcmp(kind, "error") == 0) {
                *first_error_line = ln;
                break;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(err);
    return WEXITSTATUS(status);
}

/* Removes ANSI colour sequences (ESC [ ... m) in place: the older corpus files keep
 * Prisma's colours, the refreshed ones come without them. */
static void strip_ansi(char *text)
{
    char *w = text;
    for (const char *r = text; *r;) {
        if (r[0] == '\033' && r[1] == '[') {
            const char *m = r + 2;
            while (*m && *m != 'm' && *m != '\n')
                m++;
            if (*m == 'm') {
                r = m + 1;
                continue;
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* The line of the first error in Prisma's expected block (colours removed):
 * the `-->  schema.prisma:N` line under the first `// error:`. 0 when none. */
static int expected_first_error_line(const char *text)
{
    const char *e = strstr(text, "\n// error: ");
    if (!e)
        return 0;
    const char *p = strchr(e + 1, '\n');
    while (p && *p) {
        p++;
        if (strncmp(p, "// error: ", 10) == 0 || strncmp(p, "// warning: ", 12) == 0)
            break;
        const char *nl = strchr(p, '\n');
        const char *arrow = strstr(p, "-->  schema.prisma:");
        if (arrow && (!nl || arrow < nl))
            return atoi(arrow + 19);
        p = nl;
    }
    return 0;
}

static bool provider_in_scope(const char *providers)
{
    return strcmp(providers, "postgresql") == 0 || strcmp(providers, "postgres") == 0 ||
           strcmp(providers, "sqlite") == 0 || strcmp(providers, "cockroachdb") == 0 ||
           strcmp(providers, "mysql") == 0 || strcmp(providers, "-") == 0;
}

/* Whether `path` with `kind` ("verdict" or "line") is in the known list. */
static bool is_known(const char *known, const char *path, const char *kind)
{
    char needle[1024];
    snprintf(needle, sizeof needle, "%s\t%s\t", path, kind);
    for (const char *line = known; line && *line;) {
        if (strncmp(line, needle, strlen(needle)) == 0)
            return true;
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return false;
}

START_TEST(validation_corpus_agrees_with_prisma)
{
    char index_path[4096];
    snprintf(index_path, sizeof index_path, "%s/VALIDATION_INDEX.tsv", corpus_dir);
    char *index = slurp(index_path, NULL);
    ck_assert_msg(index != NULL, "the corpus index %s is missing", index_path);
    char *known = slurp(known_path, NULL);
    ck_assert_msg(known != NULL, "the known-differences file %s is missing", known_path);

    int total = 0, verdict_ok = 0, line_total = 0, line_ok = 0, unlisted = 0;
    char *save = NULL;
    strtok_r(index, "\n", &save); /* header */
    for (char *row = strtok_r(NULL, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
        char *cols[6] = { 0 };
        char *c = row;
        for (int i = 0; i < 6 && c; i++) {
            cols[i] = c;
            c = strchr(c, '\t');
            if (c)
                *c++ = '\0';
        }
        if (!cols[2] || !provider_in_scope(cols[2]))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", corpus_dir, cols[0]);
        char *text = slurp(path, NULL);
        ck_assert_msg(text != NULL, "corpus file %s is missing", path);
        strip_ansi(text);
        bool expect_error = strncmp(cols[1], "error", 5) == 0;
        int want_line = expect_error ? expected_first_error_line(text) : 0;
        free(text);

        int got_line;
        int rc = run_validate(path, &got_line);
        ck_assert_msg(rc == 0 || rc == 1, "prismac exited %d on %s", rc, path);
        total++;
        bool verdict = (rc == 1) == expect_error;
        verdict_ok += verdict;
        if (!verdict) {
            bool listed = is_known(known, cols[0], "verdict");
            unlisted += !listed;
            printf("DISAGREE verdict %s: expected %s, prismac exited %d%s\n", cols[0], cols[1], rc,
                   listed ? " (known)" : " (NOT LISTED)");
        }
        if (expect_error && want_line > 0) {
            line_total++;
            bool same = got_line == want_line;
            line_ok += same;
            if (!same && verdict) {
                bool listed = is_known(known, cols[0], "line");
                unlisted += !listed;
                printf("DISAGREE line %s: Prisma's first error on line %d, ours on line %d%s\n", cols[0],
                       want_line, got_line, listed ? " (known)" : " (NOT LISTED)");
            }
        }
    }
    double vpct = total ? 100.0 * verdict_ok / total : 0, lpct = line_total ? 100.0 * line_ok / line_total : 0;
    printf("conformance: %d files in scope\n", total);
    printf("conformance: verdict agreement %d/%d = %.1f%%\n", verdict_ok, total, vpct);
    printf("conformance: first-error line agreement %d/%d = %.1f%%\n", line_ok, line_total, lpct);
    free(index);
    free(known);
    ck_assert_int_ge(total, 100);
    ck_assert_msg(vpct >= 98.0, "verdict agreement %.1f%% is below 98%%", vpct);
    ck_assert_msg(lpct >= 90.0, "line agreement %.1f%% is below 90%%", lpct);
    ck_assert_msg(unlisted == 0, "%d disagreements are not listed in %s", unlisted, known_path);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PRISMAC CORPUS_PSL_DIR KNOWN_DIFFERENCES\n", argv[0]);
        return 2;
    }
    prismac_bin = argv[1];
    corpus_dir = argv[2];
    known_path = argv[3];
    Suite *s = suite_create("conformance");
    TCase *tc = tcase_create("validation");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, validation_corpus_agrees_with_prisma);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
