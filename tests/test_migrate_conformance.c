/* "DDL agrees with Prisma" (issue 14): `prismac migrate diff ... --script`
 * against the scripts Prisma writes, over tests/corpus/migrations.
 *
 * Two kinds of case:
 *  - from empty: every .prisma file outside an alter/ folder whose
 *    `// tags=` line names sqlite or postgres; Prisma's script is the
 *    `// Expected Migration:` comment block (the files test_ddl also reads).
 *    Run: migrate diff --from-empty --to-schema F --script.
 *  - before -> after: every folder holding before.prisma, after.prisma and
 *    expected.sql (tests/corpus/migrations/<provider>/alter/<case>/).
 *    Run: migrate diff --from-schema before --to-schema after --script.
 *
 * Scripts are compared up to whitespace: runs of spaces, tabs and newlines
 * count as one space, leading and trailing whitespace is ignored; everything
 * else must be identical. Every case that differs must be listed, with its
 * reason, in migrate-known-differences.tsv (case <TAB> reason); a listed case
 * that matches, or a listed case that does not exist, fails the test too, so
 * the list stays true. No database is involved.
 *
 * Usage: test_migrate_conformance PRISMAC CORPUS_MIGRATIONS_DIR KNOWN_DIFFERENCES */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *prismac_bin;
static const char *corpus_dir;
static const char *known_path;

typedef struct {
    char *name;  /* path under corpus_dir: "postgres/alter/add_table" or "sqlite/x.prisma" */
    bool alter;  /* before -> after folder; otherwise a from-empty .prisma file */
} mcase;

static mcase *cases;
static size_t n_cases;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL)
            buf[fread(buf, 1, (size_t)n, f)] = '\0';
    }
    fclose(f);
    return buf;
}

static int exists(const char *dir, const char *file)
{
    char path[4096];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return 0;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int push_case(const char *name, bool alter)
{
    mcase *nc = realloc(cases, (n_cases + 1) * sizeof *cases);
    if (!nc)
        return -1;
    cases = nc;
    cases[n_cases].name = strdup(name);
    cases[n_cases].alter = alter;
    if (!cases[n_cases].name)
        return -1;
    n_cases++;
    return 0;
}

/* Whether the `// tags=` line of a from-empty file names sqlite or postgres. */
static bool tagged(const char *text)
{
    const char *t = strstr(text, "// tags=");
    if (!t)
        return false;
    t += 8;
    size_t n = strcspn(t, "\r\n");
    char tags[256];
    if (n >= sizeof tags)
        n = sizeof tags - 1;
    memcpy(tags, t, n);
    tags[n] = '\0';
    for (char *save = NULL, *tok = strtok_r(tags, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
        if (strcmp(tok, "sqlite") == 0 || strcmp(tok, "postgres") == 0)
            return true;
    return false;
}

/* Collects the cases below corpus_dir/rel (rel "" for the root). */
static int collect(const char *rel)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s%s%s", corpus_dir, *rel ? "/" : "", rel) >= (int)sizeof dir)
        return -1;
    if (exists(dir, "expected.sql") && exists(dir, "before.prisma") && exists(dir, "after.prisma"))
        return push_case(rel, true);
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "test_migrate_conformance: cannot open %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = -1;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096], path[4096];
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= (int)sizeof sub ||
            snprintf(path, sizeof path, "%s/%s", corpus_dir, sub) >= (int)sizeof path)
            goto done;
        struct stat st;
        if (stat(path, &st) != 0)
            goto done;
        if (S_ISDIR(st.st_mode)) {
            if (collect(sub) != 0)
                goto done;
        } else {
            size_t n = strlen(sub);
            if (n > 7 && strcmp(sub + n - 7, ".prisma") == 0 && !strstr(sub, "/alter/")) {
                char *text = slurp(path);
                bool want = text && tagged(text) && strstr(text, "// Expected Migration:");
                free(text);
                if (want && push_case(sub, false) != 0)
                    goto done;
            }
        }
    }
    rc = 0;
done:
    closedir(dh);
    return rc;
}

static int cmp_case(const void *a, const void *b)
{
    return strcmp(((const mcase *)a)->name, ((const mcase *)b)->name);
}

/* Prisma's script of a from-empty file: the comment lines after
 * `// Expected Migration:` without their `//` prefix. malloc'd. */
static char *expected_from_comment(const char *text)
{
    const char *m = strstr(text, "// Expected Migration:");
    if (!m)
        return NULL;
    m = strchr(m, '\n');
    char *out = malloc(strlen(text) + 2);
    size_t n = 0;
    if (!out)
        return NULL;
    while (m && *m) {
        m++;
        const char *end = strchr(m, '\n');
        size_t len = end ? (size_t)(end - m) : strlen(m);
        if (len >= 2 && m[0] == '/' && m[1] == '/') {
            memcpy(out + n, m + 2, len - 2);
            n += len - 2;
            out[n++] = '\n';
        } else if (len != 0) {
            break;
        }
        m = end;
    }
    out[n] = '\0';
    return out;
}

/* Collapses every run of whitespace into one space and trims both ends, in place. */
static void squeeze(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
}

/* Runs prismac with `args` (NULL-terminated, without argv[0]); stdout and
 * stderr are returned malloc'd; the result is the exit status, -1 when the
 * process did not exit normally. */
static int run_prismac(const char *const *args, char **out, char **err)
{
    char outfile[] = "/tmp/prismac-migconf-out-XXXXXX", errfile[] = "/tmp/prismac-migconf-err-XXXXXX";
    int ofd = mkstemp(outfile), efd = mkstemp(errfile);
    ck_assert(ofd >= 0 && efd >= 0);
    char *argv[16] = { strdup("prismac") };
    size_t n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = strdup(args[n - 1]);
    argv[n] = NULL;
    for (size_t i = 0; i < n; i++)
        ck_assert(argv[i] != NULL);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, ofd, 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, prismac_bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    for (size_t i = 0; i < n; i++)
        free(argv[i]);
    close(ofd);
    close(efd);
    ck_assert_msg(rc == 0, "cannot run %s: %s", prismac_bin, strerror(rc));
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    *out = slurp(outfile);
    *err = slurp(errfile);
    unlink(outfile);
    unlink(errfile);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The reason listed for `name` in the known-differences text, or NULL. */
static const char *known_reason(char *known, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (char *line = known; line && *line;) {
        char *end = strchr(line, '\n');
        if (line[0] != '#' && strncmp(line, name, nl) == 0 && line[nl] == '\t') {
            *len = end ? (size_t)(end - line - nl - 1) : strlen(line + nl + 1);
            return line + nl + 1;
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

/* The provider folder of a case: the first path component. */
static void provider_of(const char *name, char *buf, size_t len)
{
    size_t n = strcspn(name, "/");
    if (n >= len)
        n = len - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
}

START_TEST(migrate_diff_agrees_with_prisma)
{
    char *known = slurp(known_path);
    ck_assert_msg(known != NULL, "cannot read %s", known_path);
    int unlisted = 0, stale = 0, matched = 0;
    int per[2][2][2] = { { { 0 } } }; /* [postgres?][alter?][matched?] */
    for (size_t i = 0; i < n_cases; i++) {
        const mcase *c = &cases[i];
        char path[4096], before[4096], after[4096];
        char *want = NULL, *got = NULL, *err = NULL;
        int rc;
        if (c->alter) {
            ck_assert(snprintf(path, sizeof path, "%s/%s/expected.sql", corpus_dir, c->name) < (int)sizeof path);
            ck_assert(snprintf(before, sizeof before, "%s/%s/before.prisma", corpus_dir, c->name) <
                      (int)sizeof before);
            ck_assert(snprintf(after, sizeof after, "%s/%s/after.prisma", corpus_dir, c->name) < (int)sizeof after);
            want = slurp(path);
            const char *args[] = { "migrate", "diff", "--from-schema", before, "--to-schema", after, "--script", NULL };
            rc = run_prismac(args, &got, &err);
        } else {
            ck_assert(snprintf(after, sizeof after, "%s/%s", corpus_dir, c->name) < (int)sizeof after);
            char *text = slurp(after);
            ck_assert_msg(text != NULL, "cannot read %s", after);
            want = expected_from_comment(text);
            free(text);
            const char *args[] = { "migrate", "diff", "--from-empty", "--to-schema", after, "--script", NULL };
            rc = run_prismac(args, &got, &err);
        }
        ck_assert_msg(want != NULL, "%s: no expected script", c->name);
        ck_assert_msg(rc >= 0, "prismac crashed on %s", c->name);
        char *want_raw = strdup(want);
        squeeze(want);
        if (got)
            squeeze(got);
        bool same = rc == 0 && got && strcmp(want, got) == 0;
        size_t rlen = 0;
        const char *reason = known_reason(known, c->name, &rlen);
        char prov[64];
        provider_of(c->name, prov, sizeof prov);
        per[strcmp(prov, "postgres") == 0][c->alter][same]++;
        matched += same;
        if (same && reason) {
            stale++;
            printf("STALE    %s: matches Prisma but is listed as a known difference\n", c->name);
        } else if (same) {
            printf("ok       %s\n", c->name);
        } else {
            unlisted += !reason;
            if (reason)
                printf("DIFFERS  %s (known: %.*s)\n", c->name, (int)rlen, reason);
            else
                printf("DIFFERS  %s (NOT LISTED)\n", c->name);
            if (!reason) {
                printf("--- Prisma\n%s--- prismac (exit %d)\n%s%s---\n", want_raw, rc, got ? got : "",
                       err && *err ? err : "");
            }
        }
        free(want_raw);
        free(want);
        free(got);
        free(err);
    }
    /* Every listed case must exist. */
    int missing = 0;
    for (char *line = known; line && *line;) {
        char *end = strchr(line, '\n');
        size_t n = strcspn(line, "\t\n");
        if (line[0] != '#' && n > 0) {
            bool found = false;
            for (size_t i = 0; i < n_cases && !found; i++)
                found = strlen(cases[i].name) == n && strncmp(cases[i].name, line, n) == 0;
            if (!found) {
                missing++;
                printf("UNKNOWN  %.*s: listed in %s but no such case\n", (int)n, line, known_path);
            }
        }
        line = end ? end + 1 : NULL;
    }
    const char *prov_name[2] = { "sqlite", "postgres" }, *kind_name[2] = { "from empty", "before->after" };
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < 2; k++)
            printf("migrate conformance: %-8s %-13s %3d cases, %3d match Prisma\n", prov_name[p], kind_name[k],
                   per[p][k][0] + per[p][k][1], per[p][k][1]);
    printf("migrate conformance: %d/%zu cases match Prisma's script\n", matched, n_cases);
    free(known);
    fflush(stdout); /* a failed check ends the test process without flushing stdio */
    ck_assert_uint_ge(n_cases, 40);
    ck_assert_msg(unlisted == 0, "%d cases differ from Prisma and are not listed in %s", unlisted, known_path);
    ck_assert_msg(stale == 0, "%d cases listed in %s now match Prisma: remove them", stale, known_path);
    ck_assert_msg(missing == 0, "%d cases listed in %s do not exist", missing, known_path);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PRISMAC CORPUS_MIGRATIONS_DIR KNOWN_DIFFERENCES\n", argv[0]);
        return 2;
    }
    prismac_bin = argv[1];
    corpus_dir = argv[2];
    known_path = argv[3];
    if (collect("") != 0)
        return 2;
    qsort(cases, n_cases, sizeof *cases, cmp_case);
    Suite *s = suite_create("migrate_conformance");
    TCase *tc = tcase_create("migrate_diff");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, migrate_diff_agrees_with_prisma);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t i = 0; i < n_cases; i++)
        free(cases[i].name);
    free(cases);
    return failed ? 1 : 0;
}
