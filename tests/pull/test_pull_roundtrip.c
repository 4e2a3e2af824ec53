/* db pull's round trip over the real-world corpus (tests/realworld):
 * for every schema that db push can apply, on its own provider,
 *   1. db push the schema onto a fresh database (one),
 *   2. db pull it into a schema file holding only the datasource,
 *   3. the pulled schema validates,
 *   4. db push the pulled schema onto a second fresh database (two),
 *   5. describe(one) == describe(two): the pulled schema makes the same database,
 *   6. db push of the pulled schema against database one plans nothing.
 * A schema listed in roundtrip-known-differences.tsv is expected to fail
 * (with the reason given there); the test fails when a schema fails that is
 * not listed, and when a listed one passes (then take it off the list).
 *
 *   test_pull_roundtrip CORPUS_DIR KNOWN_DIFFERENCES_TSV
 * PRISMAC_PULL_KEEP=DIR keeps each pulled schema as DIR/<schema>.prisma;
 * PRISMAC_PULL_ONLY=a,b runs those alone; PRISMAC_SKIP_POSTGRES=1 skips the
 * PostgreSQL schemas, PRISMAC_SKIP_MYSQL=1 the MySQL ones (on a throwaway
 * MariaDB, tests/support/myserver.c). */
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "myserver.h"
#include "pgserver.h"
#include "prismac.h"
#include "pull.h"
#include "pull_support.h"
#include "push.h"

static const char *pg_base;
static int pg_skipped;
static char pg_err[2048];
static char workdir[256];

/* Runs with stdout and stderr sent to the schema's log file. */
static int quiet_stdout = -1, quiet_stderr = -1;
static void quiet(const char *log)
{
    fflush(stdout);
    fflush(stderr);
    quiet_stdout = dup(1);
    quiet_stderr = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
}
static void loud(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(quiet_stdout, 1);
    dup2(quiet_stderr, 2);
    close(quiet_stdout);
    close(quiet_stderr);
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* The first line where a and b differ, into why. */
static void first_difference(const char *a, const char *b, char *why, size_t len)
{
    while (*a && *b) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        if (la != lb || memcmp(a, b, la) != 0) {
            snprintf(why, len, "describe differs: pushed `%.*s`, pulled `%.*s`", (int)la, a, (int)lb, b);
            return;
        }
        a += la + (a[la] == '\n');
        b += lb + (b[lb] == '\n');
    }
    snprintf(why, len, "describe differs: pushed has %s, pulled has %s", *a ? a : "(end)", *b ? b : "(end)");
    char *nl = strchr(why, '\n');
    if (nl)
        *nl = '\0';
}

/* One schema's round trip: 0 passed, 1 failed (why), -1 skipped. */
static int round_trip(const char *corpus, const char *name, char *why, size_t wl)
{
    char dir[1024], schema[1200], log[1200], pulled[1200], url1[1024], url2[1024];
    snprintf(dir, sizeof dir, "%s/schemas/%s", corpus, name);
    snprintf(log, sizeof log, "%s/%s.log", workdir, name);
    snprintf(pulled, sizeof pulled, "%s/%s.prisma", workdir, name);
    /* one file: that file; several: the folder */
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, wl, "no folder %s", dir);
        return 1;
    }
    int n_files = 0, n_other = 0;
    struct dirent *e;
    char only[256] = "";
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        if (l > 7 && strcmp(e->d_name + l - 7, ".prisma") == 0) {
            n_files++;
            snprintf(only, sizeof only, "%s", e->d_name);
        } else {
            n_other++; /* a folder of a multi-file schema */
        }
    }
    closedir(d);
    if (n_files == 1 && n_other == 0)
        snprintf(schema, sizeof schema, "%s/%s", dir, only);
    else
        snprintf(schema, sizeof schema, "%s", dir);

    psl_schema *s = NULL;
    if (prismac_load(schema, NULL, false, &s) != 0 || !s || s->diags.errors || !s->datasource) {
        psl_schema_free(s);
        snprintf(why, wl, "the schema does not load");
        return 1;
    }
    psl_provider provider = s->datasource->provider;
    psl_schema_free(s);
    const migrate_dialect *D = migrate_dialect_for(provider);
    char setup_path[1200], err[2048] = "";
    snprintf(setup_path, sizeof setup_path, "%s/setup/%s.sql", corpus, name);
    char *setup = ps_read_file(setup_path);
    int rc = 1;
    char *one = NULL, *two = NULL, *script = NULL;
    if (provider == PSL_PROVIDER_SQLITE) {
        snprintf(url1, sizeof url1, "file:%s/%s-1.db", workdir, name);
        snprintf(url2, sizeof url2, "file:%s/%s-2.db", workdir, name);
    } else if (provider == PSL_PROVIDER_MYSQL) {
        /* issue 16: two fresh databases on the shared MariaDB (PRISMAC_SKIP_MYSQL skips). */
        int skip = 0;
        if (myserver_fresh_database("rt", url1, sizeof url1, &skip, err, sizeof err) != 0 ||
            myserver_fresh_database("rt", url2, sizeof url2, &skip, err, sizeof err) != 0) {
            if (skip) {
                rc = -1;
                goto done;
            }
            goto fail;
        }
    } else {
        if (!pg_base) {
            rc = -1;
            goto done;
        }
        char db[200];
        snprintf(db, sizeof db, "rt_%.80s_1", name);
        for (char *p = db; *p; p++)
            if (*p == '-')
                *p = '_';
        if (ps_fresh_pg_database(pg_base, db, setup, url1, sizeof url1, err, sizeof err) != 0)
            goto fail;
        db[strlen(db) - 1] = '2';
        if (ps_fresh_pg_database(pg_base, db, setup, url2, sizeof url2, err, sizeof err) != 0)
            goto fail;
    }
    prismac_push_options push1 = { .schema_path = schema, .url = url1 };
    quiet(log);
    int st = prismac_db_push(&push1);
    loud();
    if (st != 0) {
        snprintf(err, sizeof err, "db push of the schema failed (%s)", log);
        goto fail;
    }
    char empty[200];
    snprintf(empty, sizeof empty, "datasource db {\n  provider = \"%s\"\n}\n", psl_provider_name(provider));
    write_text(pulled, empty);
    prismac_pull_options pull = { .schema_path = pulled, .url = url1 };
    quiet(log);
    st = prismac_db_pull(&pull);
    loud();
    if (st != 0) {
        snprintf(err, sizeof err, "db pull failed (%s)", log);
        goto fail;
    }
    quiet(log);
    st = prismac_load(pulled, stderr, false, &s);
    loud();
    bool valid = st == 0 && s && s->diags.errors == 0;
    psl_schema_free(s);
    if (!valid) {
        snprintf(err, sizeof err, "the pulled schema does not validate (%s)", log);
        goto fail;
    }
    prismac_push_options push2 = { .schema_path = pulled, .url = url2 };
    quiet(log);
    st = prismac_db_push(&push2);
    loud();
    if (st != 0) {
        snprintf(err, sizeof err, "db push of the pulled schema failed (%s)", log);
        goto fail;
    }
    one = ps_describe_text(D, url1, err, sizeof err);
    two = ps_describe_text(D, url2, err, sizeof err);
    if (!one || !two)
        goto fail;
    if (strcmp(one, two) != 0) {
        first_difference(one, two, err, sizeof err);
        goto fail;
    }
    quiet(log);
    prismac_push_options replan = { .schema_path = pulled, .url = url1 };
    st = prismac_db_push_plan(&replan, &script);
    loud();
    if (st != 0 || !script || *script) {
        snprintf(err, sizeof err, "db push of the pulled schema onto database one plans: %.300s",
                 script ? script : "(refused)");
        goto fail;
    }
    rc = 0;
    goto done;
fail:
    snprintf(why, wl, "%s", err);
    rc = 1;
done:
    free(setup);
    free(one);
    free(two);
    free(script);
    return rc;
}

/* The known differences: "schema<TAB>reason" lines. */
static bool listed(const char *known, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = known; p && *p;) {
        if (*p != '#' && strncmp(p, name, n) == 0 && p[n] == '\t')
            return true;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return false;
}

static bool wanted(const char *name)
{
    const char *only = getenv("PRISMAC_PULL_ONLY");
    if (!only || !*only)
        return true;
    size_t n = strlen(name);
    for (const char *p = only; *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && strncmp(p, name, n) == 0)
            return true;
        p += l + (p[l] == ',');
    }
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CORPUS_DIR KNOWN_DIFFERENCES_TSV\n", argv[0]);
        return 2;
    }
    const char *corpus = argv[1];
    char *known = ps_read_file(argv[2]);
    char expected_path[1024];
    snprintf(expected_path, sizeof expected_path, "%s/EXPECTED.tsv", corpus);
    char *expected = ps_read_file(expected_path);
    if (!known || !expected) {
        fprintf(stderr, "cannot read %s or %s\n", argv[2], expected_path);
        return 1;
    }
    const char *keep = getenv("PRISMAC_PULL_KEEP");
    if (keep && *keep) {
        snprintf(workdir, sizeof workdir, "%s", keep);
        mkdir(workdir, 0755);
    } else {
        snprintf(workdir, sizeof workdir, "/tmp/prismac-pull-rtXXXXXX");
        if (!mkdtemp(workdir))
            return 1;
    }
    pg_base = pgserver_shared_url(&pg_skipped, pg_err, sizeof pg_err);
    if (!pg_base && !pg_skipped) {
        fprintf(stderr, "FAIL: no PostgreSQL server: %s\n", pg_err);
        return 1;
    }
    int failures = 0, passed = 0, known_failed = 0, skipped = 0;
    for (char *line = expected; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char name[128], stage[32];
        if (line[0] != '#' && sscanf(line, "%127[^\t]\t%31[^\t]", name, stage) == 2 && wanted(name)) {
            if (strcmp(stage, "push") != 0 && strcmp(stage, "records") != 0) {
                printf("%-28s skipped: db push does not apply it (EXPECTED.tsv: %s)\n", name, stage);
                skipped++;
            } else {
                char why[2600] = "";
                int rc = round_trip(corpus, name, why, sizeof why);
                bool is_known = listed(known, name);
                if (rc < 0) {
                    printf("%-28s skipped (PRISMAC_SKIP_POSTGRES or PRISMAC_SKIP_MYSQL)\n", name);
                    skipped++;
                } else if (rc == 0 && is_known) {
                    printf("%-28s FAIL: passes, but roundtrip-known-differences.tsv lists it: take it off\n", name);
                    failures++;
                } else if (rc == 0) {
                    printf("%-28s ok\n", name);
                    passed++;
                } else if (is_known) {
                    printf("%-28s known difference: %s\n", name, why);
                    known_failed++;
                } else {
                    printf("%-28s FAIL: %s\n", name, why);
                    failures++;
                }
            }
        }
        line = next;
    }
    printf("\n%d round trips ok, %d known differences, %d skipped, %d failed (work folder %s)\n", passed,
           known_failed, skipped, failures, workdir);
    free(known);
    free(expected);
    return failures ? 1 : 0;
}
