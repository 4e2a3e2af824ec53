/* The real-world corpus: schemas of open-source applications, as a new user
 * would bring them (tests/realworld/README.md).
 *
 *   test_realworld PRISMAC RECORDS_C INCLUDE_DIR LIBPRISMA_DIR CORPUS_DIR EXPECTED_TSV CC [CFLAG...]
 *
 * Every folder of CORPUS_DIR/schemas is one application's schema, unchanged: a
 * single .prisma file, or several (a multi-file schema, passed as its folder).
 * Each goes through the stages a user goes through:
 *   validate  prismac validate
 *   generate  prismac generate (into a copy that has a `prismac` generator
 *             block added: the one line a user adds to their schema)
 *   gcc/clang the generated client.c compiled under the strict flags the
 *             generated code promises (tests/golden/meson.build)
 *   push      prismac db push onto a fresh SQLite file or a fresh PostgreSQL
 *             database (support/pgserver.c)
 *   records   records.c linked with the client and libprisma (built with CC
 *             and CFLAGs, the build's compiler and sanitizers): one record of
 *             every model without a required relation, created, read back,
 *             compared and deleted
 * A stage runs when the ones it needs passed (generate needs validate, the
 * compilers generate, push validate, records a client and a database). The
 * stage a schema reached is the last one of the unbroken run of passes, in the
 * order above.
 *
 * EXPECTED_TSV says, per schema, the stage it is expected to reach and why not
 * further. The test fails when a schema reaches less (a regression) and when it
 * reaches more (tighten the file: PRISMAC_REALWORLD_WRITE=FILE writes the
 * measured expectations there). PRISMAC_REALWORLD_ONLY=a,b runs those schemas
 * alone; PRISMAC_REALWORLD_KEEP=1 keeps the work folder.
 *
 *   test_realworld --shard K/N PRISMAC ...
 * runs the K-th of N shares of the corpus (1 <= K <= N), so that meson runs
 * the shares side by side (tests/meson.build: realworld_K_of_N). The shares are
 * fixed by the schemas' weights (the heaviest first, each to the lightest
 * share so far), so every schema is in exactly one share and the shares take
 * about the same time. EXPECTED_TSV is read whole by every share
 * (a line for a schema missing from the corpus fails them all); each share
 * judges its own schemas. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "myserver.h"
#include "pgserver.h"

extern char **environ;

enum stage { ST_VALIDATE, ST_GENERATE, ST_GCC, ST_CLANG, ST_PUSH, ST_RECORDS, N_STAGES };
static const char *const stage_names[N_STAGES] = { "validate", "generate", "gcc", "clang", "push", "records" };
enum result { NOT_RUN, PASSED, FAILED };

typedef struct schema_run {
    char name[128];
    long long bytes;            /* its .prisma files' size (weight(): its share of the work) */
    int shard;                  /* the share (0-based) it is run in */
    char provider[32];
    int n_files;
    enum result results[N_STAGES];
    char errors[N_STAGES][512]; /* the first error line of each failed stage */
    char records_summary[128];
    int reached;                /* index of the last stage of the unbroken passes, -1: none */
    int expected;               /* from EXPECTED_TSV; -2: not listed */
    char expected_reason[512];
    bool mysql_skipped; /* PRISMAC_SKIP_MYSQL=1: push and records not run */
} schema_run;

/* The strict flags of tests/golden/meson.build: what generated code promises. */
static const char *const strict_flags[] = { "-std=c11",          "-Wall",           "-Wextra",
                                            "-Wpedantic",        "-Werror",         "-Wshadow",
                                            "-Wmissing-prototypes", "-Wcast-qual", "-Wwrite-strings",
                                            "-Wstrict-prototypes" };
#define N_STRICT (sizeof strict_flags / sizeof *strict_flags)

static const char *prismac, *records_c, *include_dir, *lib_dir, *corpus_dir, *expected_tsv;
static char **build_cc; /* CC [CFLAG...] */
static int n_build_cc;
static char workdir[] = "/tmp/prismac-realworld-XXXXXX";

/* snprintf that may cut (every use is a path or a message of bounded size). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fmt(char *out, size_t len, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(out, len, format, ap);
    va_end(ap);
}

/* Runs argv (argv[0] looked up in PATH), output and errors into log_path;
 * returns the exit status, or -1 when it could not run or was killed. */
static int run(const char *const argv[], const char *log_path)
{
    /* posix_spawn takes mutable strings: give it copies. */
    size_t n_args = 0;
    while (argv[n_args])
        n_args++;
    char **args = calloc(n_args + 1, sizeof *args);
    bool copied = args != NULL;
    for (size_t i = 0; copied && i < n_args; i++)
        copied = (args[i] = strdup(argv[i])) != NULL;
    int status = -1;
    if (!copied)
        goto done;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, args[0], &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        FILE *log = fopen(log_path, "w");
        if (log) {
            fprintf(log, "error: cannot run %s: %s\n", argv[0], strerror(rc));
            fclose(log);
        }
        goto done;
    }
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0)
        if (errno != EINTR)
            goto done;
    if (WIFSIGNALED(wstatus)) {
        FILE *log = fopen(log_path, "a");
        if (log) {
            fprintf(log, "error: %s killed by signal %d\n", argv[0], WTERMSIG(wstatus));
            fclose(log);
        }
        goto done;
    }
    status = WEXITSTATUS(wstatus);
done:
    for (size_t i = 0; args && i < n_args; i++)
        free(args[i]);
    free(args);
    return status;
}

/* The line of log_path that says what went wrong: the first that starts
 * with "FAIL" or holds "error", else the first that is not empty. The work
 * folder's path is cut out, so that the line is the same from run to run. */
static void first_error(const char *log_path, char *out, size_t len)
{
    out[0] = '\0';
    FILE *log = fopen(log_path, "r");
    if (!log)
        return;
    char line[2048], first[2048] = "";
    while (fgets(line, sizeof line, log)) {
        line[strcspn(line, "\n")] = '\0';
        if (!first[0] && line[0])
            fmt(first, sizeof first, "%s", line);
        if (strncmp(line, "FAIL", 4) == 0 || strstr(line, "error")) {
            fmt(first, sizeof first, "%s", line);
            break;
        }
        /* db push's summary comes first, the database's words on the next line. */
        if (strncmp(line, "Error: ", 7) == 0) {
            char next[1024] = "";
            while (fgets(next, sizeof next, log) && next[0] == '\n')
                ;
            next[strcspn(next, "\n")] = '\0';
            fmt(first, sizeof first, "%s %s", line, next);
            break;
        }
    }
    fclose(log);
    /* Cut "<workdir>/<schema>/" prefixes, and tabs (the file is a TSV). */
    size_t wl = strlen(workdir);
    char *dst = out, *end = out + len - 1;
    for (const char *s = first; *s && dst < end;) {
        if (strncmp(s, workdir, wl) == 0) {
            s += wl;
            const char *slash = strchr(s + 1, '/');
            s = slash ? slash + 1 : s;
            if (strncmp(s, "schema/", 7) == 0)
                s += 7;
            continue;
        }
        *dst++ = *s == '\t' ? ' ' : *s;
        s++;
    }
    *dst = '\0';
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The bytes of the .prisma files under dir (recursively): a schema's share
 * of the work, for --shard. */
static long long prisma_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    long long total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        fmt(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            total += prisma_bytes(path);
        else if (has_suffix(e->d_name, ".prisma"))
            total += (long long)st.st_size;
    }
    closedir(d);
    return total;
}

/* Counts the .prisma files under dir (recursively); the first one found goes
 * into first. */
static int count_prisma_files(const char *dir, char *first, size_t len)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        fmt(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += count_prisma_files(path, first, len);
        } else if (has_suffix(e->d_name, ".prisma")) {
            if (n == 0 && !first[0])
                fmt(first, len, "%s", path);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* The datasource's provider, read from the schema's files (the first
 * `provider = "..."` inside a datasource block, comments skipped). */
static void read_provider(const char *dir, char *out, size_t len)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while (!out[0] && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        fmt(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            read_provider(path, out, len);
            continue;
        }
        if (!has_suffix(e->d_name, ".prisma"))
            continue;
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        char line[1024];
        bool in_datasource = false;
        while (!out[0] && fgets(line, sizeof line, f)) {
            char *s = line;
            while (isspace((unsigned char)*s))
                s++;
            if (strncmp(s, "//", 2) == 0)
                continue;
            if (strncmp(s, "datasource", 10) == 0)
                in_datasource = true;
            else if (in_datasource && *s == '}')
                in_datasource = false;
            else if (in_datasource && strncmp(s, "provider", 8) == 0) {
                char *q = strchr(s, '"');
                char *q2 = q ? strchr(q + 1, '"') : NULL;
                if (q && q2)
                    fmt(out, len, "%.*s", (int)(q2 - q - 1), q + 1);
            }
        }
        fclose(f);
    }
    closedir(d);
}

static bool is_postgres(const char *provider)
{
    return strcmp(provider, "postgresql") == 0 || strcmp(provider, "postgres") == 0;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Reads a whole file; NULL when there is none. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (len + 2 > cap) {
            char *grown = realloc(text, cap = cap ? cap * 2 : 4096);
            if (!grown) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        text[len++] = (char)c;
    }
    fclose(f);
    if (text)
        text[len] = '\0';
    return text;
}

/* What the application's own migrations do before its schema applies
 * (setup/<schema>.sql: an extension an index needs), run on database db. */
static int run_setup(const char *server_url, const char *db, const char *sql, char *err, size_t errlen)
{
    char conninfo[1024];
    fmt(conninfo, sizeof conninfo, "dbname=%s", db);
    const char *keys[] = { "dbname", "dbname", NULL };
    const char *values[] = { server_url, db, NULL };
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    int rc = -1;
    if (PQstatus(conn) != CONNECTION_OK) {
        fmt(err, errlen, "error: cannot connect to %s: %s", conninfo, PQerrorMessage(conn));
    } else {
        PGresult *res = PQexec(conn, sql);
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            rc = 0;
        else
            fmt(err, errlen, "error: setup SQL: %s", PQerrorMessage(conn));
        PQclear(res);
    }
    PQfinish(conn);
    return rc;
}

/* A fresh PostgreSQL database for one schema; its url into url. */
static int fresh_pg_database(const char *server_url, const char *name, const char *setup_sql, char *url,
                             size_t len, char *err, size_t errlen)
{
    char db[160];
    size_t k = 0;
    memcpy(db, "rw_", 3);
    k = 3;
    for (const char *s = name; *s && k + 1 < sizeof db; s++)
        db[k++] = isalnum((unsigned char)*s) ? (char)tolower((unsigned char)*s) : '_';
    db[k] = '\0';
    PGconn *conn = PQconnectdb(server_url);
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    int rc = -1;
    if (PQstatus(conn) != CONNECTION_OK) {
        fmt(err, errlen, "error: cannot connect to %s: %s", server_url, PQerrorMessage(conn));
        goto done;
    }
    char sql[256];
    fmt(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", db);
    PQclear(PQexec(conn, sql));
    fmt(sql, sizeof sql, "CREATE DATABASE \"%s\"", db);
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fmt(err, errlen, "error: %s: %s", sql, PQerrorMessage(conn));
        PQclear(res);
        goto done;
    }
    PQclear(res);
    if (setup_sql && run_setup(server_url, db, setup_sql, err, errlen) != 0)
        goto done;
    /* The server's url with the database replaced: scheme://user@host:port/DB[?params]. */
    const char *at = strrchr(server_url, '@');
    const char *slash = strchr(at ? at : server_url, '/');
    const char *query = strchr(server_url, '?');
    if (!slash) {
        fmt(err, errlen, "error: no database in the url %s", server_url);
        goto done;
    }
    fmt(url, len, "%.*s/%s%s", (int)(slash - server_url), server_url, db, query ? query : "");
    rc = 0;
done:
    PQfinish(conn);
    return rc;
}

/* Each stage's output goes to its own file of the schema's work folder
 * (kept with PRISMAC_REALWORLD_KEEP=1). */
static void stage_log(char *log, size_t len, const char *work, enum stage st)
{
    fmt(log, len, "%s/%s.log", work, stage_names[st]);
}

static void stage_result(schema_run *r, enum stage st, int status, const char *log_path)
{
    r->results[st] = status == 0 ? PASSED : FAILED;
    if (status != 0)
        first_error(log_path, r->errors[st], sizeof r->errors[st]);
}

/* Runs one schema through every stage it can reach. */
static void run_schema(schema_run *r, const char *pg_url, bool pg_skipped)
{
    char src[4096], work[4096], copy[4096], schema_arg[4096], gen[4096], log[4096], first[4096] = "";
    fmt(src, sizeof src, "%s/schemas/%s", corpus_dir, r->name);
    fmt(work, sizeof work, "%s/%s", workdir, r->name);
    fmt(copy, sizeof copy, "%s/schema", work);
    fmt(gen, sizeof gen, "%s/generated", work);
    fmt(log, sizeof log, "%s/log-copy.txt", work);
    mkdir(work, 0755);
    mkdir(copy, 0755);
    r->n_files = count_prisma_files(src, first, sizeof first);
    read_provider(src, r->provider, sizeof r->provider);

    /* The copy: the user's schema and a `prismac` generator block, appended to
     * a single file or added as one more file of a multi-file schema. */
    char src_dot[4200];
    fmt(src_dot, sizeof src_dot, "%s/.", src);
    const char *cp_argv[] = { "cp", "-R", src_dot, copy, NULL };
    run(cp_argv, log);
    const char *generator_block = "\ngenerator prismac {\n  provider = \"prismac\"\n}\n";
    char extra[4200];
    if (r->n_files == 1) {
        fmt(schema_arg, sizeof schema_arg, "%s/%s", copy, first + strlen(src) + 1);
        fmt(extra, sizeof extra, "%s", schema_arg);
    } else {
        fmt(schema_arg, sizeof schema_arg, "%s", copy);
        fmt(extra, sizeof extra, "%s/prismac-generator.prisma", copy);
    }
    FILE *f = fopen(extra, "a");
    if (f) {
        fputs(generator_block, f);
        fclose(f);
    }

    stage_log(log, sizeof log, work, ST_VALIDATE);
    const char *validate_argv[] = { prismac, "validate", "--schema", schema_arg, NULL };
    stage_result(r, ST_VALIDATE, run(validate_argv, log), log);

    if (r->results[ST_VALIDATE] == PASSED) {
        stage_log(log, sizeof log, work, ST_GENERATE);
        const char *generate_argv[] = { prismac, "generate", "--schema", schema_arg, "--output", gen, NULL };
        stage_result(r, ST_GENERATE, run(generate_argv, log), log);
    }
    if (r->results[ST_GENERATE] == PASSED) {
        char client_c[4200], inc[4200];
        fmt(client_c, sizeof client_c, "%s/client.c", gen);
        fmt(inc, sizeof inc, "-I%s", include_dir);
        for (enum stage st = ST_GCC; st <= ST_CLANG; st++) {
            const char *argv[N_STRICT + 8];
            size_t n = 0;
            argv[n++] = stage_names[st];
            for (size_t i = 0; i < N_STRICT; i++)
                argv[n++] = strict_flags[i];
            argv[n++] = inc;
            argv[n++] = "-c";
            argv[n++] = client_c;
            argv[n++] = "-o";
            argv[n++] = "/dev/null";
            argv[n] = NULL;
            stage_log(log, sizeof log, work, st);
            stage_result(r, st, run(argv, log), log);
        }
    }

    char url[4200] = "", setup_path[4200];
    fmt(setup_path, sizeof setup_path, "%s/setup/%s.sql", corpus_dir, r->name);
    char *setup_sql = read_file(setup_path);
    if (r->results[ST_VALIDATE] == PASSED) {
        if (is_postgres(r->provider)) {
            if (pg_skipped) {
                fmt(r->errors[ST_PUSH], sizeof r->errors[ST_PUSH], "PostgreSQL skipped (PRISMAC_SKIP_POSTGRES)");
            } else if (!pg_url || fresh_pg_database(pg_url, r->name, setup_sql, url, sizeof url, r->errors[ST_PUSH],
                                                    sizeof r->errors[ST_PUSH]) != 0) {
                r->results[ST_PUSH] = FAILED;
                if (!pg_url)
                    fmt(r->errors[ST_PUSH], sizeof r->errors[ST_PUSH], "error: no PostgreSQL server");
            }
        } else if (strcmp(r->provider, "sqlite") == 0) {
            fmt(url, sizeof url, "file:%s/dev.db", work);
        } else if (strcmp(r->provider, "mysql") == 0) {
            /* issue 16: a fresh database on the shared MariaDB (started on first use). */
            int skip = 0;
            if (myserver_fresh_database("realworld", url, sizeof url, &skip, r->errors[ST_PUSH],
                                        sizeof r->errors[ST_PUSH]) != 0) {
                url[0] = '\0';
                if (skip) {
                    r->mysql_skipped = true;
                    fmt(r->errors[ST_PUSH], sizeof r->errors[ST_PUSH], "MySQL skipped (PRISMAC_SKIP_MYSQL)");
                } else {
                    r->results[ST_PUSH] = FAILED;
                }
            }
        } else {
            r->results[ST_PUSH] = FAILED;
            fmt(r->errors[ST_PUSH], sizeof r->errors[ST_PUSH], "error: provider \"%s\" is not tested here",
                     r->provider);
        }
        if (url[0]) {
            stage_log(log, sizeof log, work, ST_PUSH);
            const char *push_argv[] = { prismac, "db", "push", "--schema", schema_arg, "--url", url, NULL };
            stage_result(r, ST_PUSH, run(push_argv, log), log);
        }
    }

    if (r->results[ST_GENERATE] == PASSED && r->results[ST_PUSH] == PASSED) {
        /* Built with the build's compiler and flags (sanitizers), as libprisma. */
        char client_c[4200], inc_gen[4200], inc[4200], libdir[4200], rpath[4300], exe[4200];
        fmt(client_c, sizeof client_c, "%s/client.c", gen);
        fmt(inc, sizeof inc, "-I%s", include_dir);
        fmt(inc_gen, sizeof inc_gen, "-I%s", gen);
        fmt(libdir, sizeof libdir, "-L%s", lib_dir);
        fmt(rpath, sizeof rpath, "-Wl,-rpath,%s", lib_dir);
        fmt(exe, sizeof exe, "%s/records", work);
        stage_log(log, sizeof log, work, ST_RECORDS);
        const char **argv = calloc((size_t)n_build_cc + 16, sizeof *argv);
        size_t n = 0;
        for (int i = 0; i < n_build_cc; i++)
            argv[n++] = build_cc[i];
        const char *rest[] = { "-std=c11", inc, inc_gen, records_c, client_c, libdir, rpath, "-lprisma", "-lm",
                         "-o", exe, NULL };
        for (size_t i = 0; rest[i]; i++)
            argv[n++] = rest[i];
        argv[n] = NULL;
        int status = run(argv, log);
        free(argv);
        if (status != 0) {
            stage_result(r, ST_RECORDS, status, log);
        } else {
            const char *records_argv[] = { exe, url, NULL };
            stage_result(r, ST_RECORDS, run(records_argv, log), log);
            FILE *out = fopen(log, "r");
            char line[1024];
            while (out && fgets(line, sizeof line, out))
                if (strncmp(line, "records: ", 9) == 0) {
                    line[strcspn(line, "\n")] = '\0';
                    fmt(r->records_summary, sizeof r->records_summary, "%s", line + 9);
                }
            if (out)
                fclose(out);
        }
    }

    free(setup_sql);
    r->reached = -1;
    for (int st = 0; st < N_STAGES && r->results[st] == PASSED; st++)
        r->reached = st;
}

/* Reads EXPECTED_TSV: schema, stage (or "none"), reason; '#' starts a comment. */
static int read_expected(schema_run *runs, int n_runs)
{
    FILE *f = fopen(expected_tsv, "r");
    if (!f) {
        fprintf(stderr, "cannot read %s: %s\n", expected_tsv, strerror(errno));
        return -1;
    }
    char line[2048];
    int status = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *name = strtok(line, "\t"), *stage = strtok(NULL, "\t"), *reason = strtok(NULL, "");
        if (!name || !stage) {
            fprintf(stderr, "%s: a line without a stage: %s\n", expected_tsv, line);
            status = -1;
            continue;
        }
        int st = -2;
        if (strcmp(stage, "none") == 0)
            st = -1;
        for (int i = 0; i < N_STAGES; i++)
            if (strcmp(stage, stage_names[i]) == 0)
                st = i;
        if (st == -2) {
            fprintf(stderr, "%s: unknown stage \"%s\" for %s\n", expected_tsv, stage, name);
            status = -1;
            continue;
        }
        bool known = false;
        for (int i = 0; i < n_runs; i++)
            if (strcmp(runs[i].name, name) == 0) {
                runs[i].expected = st;
                fmt(runs[i].expected_reason, sizeof runs[i].expected_reason, "%s", reason ? reason : "");
                known = true;
            }
        if (!known && !getenv("PRISMAC_REALWORLD_ONLY")) {
            fprintf(stderr, "%s: %s is not in the corpus\n", expected_tsv, name);
            status = -1;
        }
    }
    fclose(f);
    return status;
}

/* The models made, from records.c's summary "N models: X ok, ..." (or the
 * same words in EXPECTED.tsv); -1 when absent. */
static int records_ok(const char *summary)
{
    int n, ok;
    return sscanf(summary, "%d models: %d ok", &n, &ok) == 2 ? ok : -1;
}

static const char *stage_label(int st)
{
    return st == -2 ? "?" : st < 0 ? "none" : stage_names[st];
}

static bool selected(const char *name)
{
    const char *only = getenv("PRISMAC_REALWORLD_ONLY");
    if (!only || !*only)
        return true;
    size_t n = strlen(name);
    for (const char *s = only; (s = strstr(s, name)); s += n)
        if ((s == only || s[-1] == ',') && (s[n] == ',' || s[n] == '\0'))
            return true;
    return false;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const schema_run *)a)->name, ((const schema_run *)b)->name);
}

/* A schema's share of the work: its size, when its client is expected to be
 * generated and compiled (three compiles of it are most of the time); an
 * eighth of it when EXPECTED_TSV says it stops before (validate alone runs). */
static long long weight(const schema_run *r)
{
    return r->expected >= ST_GENERATE || r->expected == -2 ? r->bytes : r->bytes / 8;
}

static int by_weight_descending(const void *a, const void *b)
{
    const schema_run *x = *(const schema_run *const *)a, *y = *(const schema_run *const *)b;
    if (weight(x) != weight(y))
        return weight(x) > weight(y) ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Puts each run in one of n_shards shares: the heaviest schema first, each
 * into the share with the least weight so far (the first such share on a
 * tie), which keeps the shares' times close and the split the same on every
 * machine. */
static int assign_shards(schema_run *runs, int n_runs, int n_shards)
{
    schema_run **order = calloc((size_t)n_runs + 1, sizeof *order);
    long long *load = calloc((size_t)n_shards, sizeof *load);
    int rc = -1;
    if (!order || !load)
        goto done;
    for (int i = 0; i < n_runs; i++)
        order[i] = &runs[i];
    qsort(order, (size_t)n_runs, sizeof *order, by_weight_descending);
    for (int i = 0; i < n_runs; i++) {
        int best = 0;
        for (int k = 1; k < n_shards; k++)
            if (load[k] < load[best])
                best = k;
        order[i]->shard = best;
        load[best] += weight(order[i]);
    }
    rc = 0;
done:
    free(order);
    free(load);
    return rc;
}

static void remove_tree(const char *path)
{
    const char *argv[] = { "rm", "-rf", path, NULL };
    run(argv, "/dev/null");
}

int main(int argc, char **argv)
{
    int shard = 0, n_shards = 1; /* --shard K/N: shard = K - 1 */
    if (argc >= 3 && strcmp(argv[1], "--shard") == 0) {
        int k = 0, n = 0;
        char tail;
        if (sscanf(argv[2], "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n) {
            fprintf(stderr, "%s: --shard takes K/N with 1 <= K <= N, not \"%s\"\n", argv[0], argv[2]);
            return 2;
        }
        shard = k - 1;
        n_shards = n;
        argv[2] = argv[0];
        argv += 2;
        argc -= 2;
    }
    if (argc < 8) {
        fprintf(stderr,
                "usage: %s [--shard K/N] PRISMAC RECORDS_C INCLUDE_DIR LIBPRISMA_DIR CORPUS_DIR EXPECTED_TSV CC "
                "[CFLAG...]\n",
                argv[0]);
        return 2;
    }
    prismac = argv[1];
    records_c = argv[2];
    include_dir = argv[3];
    lib_dir = argv[4];
    corpus_dir = argv[5];
    expected_tsv = argv[6];
    build_cc = argv + 7;
    n_build_cc = argc - 7;
    setvbuf(stdout, NULL, _IOLBF, 0);

    char schemas_dir[4096];
    fmt(schemas_dir, sizeof schemas_dir, "%s/schemas", corpus_dir);
    DIR *d = opendir(schemas_dir);
    if (!d) {
        fprintf(stderr, "cannot read %s: %s\n", schemas_dir, strerror(errno));
        return 1;
    }
    schema_run *runs = NULL;
    int n_runs = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !selected(e->d_name))
            continue;
        schema_run *grown = realloc(runs, (size_t)(n_runs + 1) * sizeof *runs);
        if (!grown) {
            closedir(d);
            free(runs);
            return 1;
        }
        runs = grown;
        memset(&runs[n_runs], 0, sizeof *runs);
        fmt(runs[n_runs].name, sizeof runs[n_runs].name, "%s", e->d_name);
        char dir[4096];
        fmt(dir, sizeof dir, "%s/%s", schemas_dir, e->d_name);
        runs[n_runs].bytes = prisma_bytes(dir);
        runs[n_runs].expected = -2;
        n_runs++;
    }
    closedir(d);
    qsort(runs, (size_t)n_runs, sizeof *runs, by_name);
    int status = read_expected(runs, n_runs) == 0 ? 0 : 1;
    if (n_shards > 1) {
        /* This share's schemas only, still in name order. */
        if (assign_shards(runs, n_runs, n_shards) != 0) {
            fprintf(stderr, "out of memory\n");
            free(runs);
            return 1;
        }
        int kept = 0;
        for (int i = 0; i < n_runs; i++)
            if (runs[i].shard == shard)
                runs[kept++] = runs[i];
        printf("share %d of %d: %d of the %d schemas\n", shard + 1, n_shards, kept, n_runs);
        n_runs = kept;
    }

    if (!mkdtemp(workdir)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        free(runs);
        return 1;
    }
    int pg_skipped = 0;
    char pg_err[2048] = "";
    const char *pg_url = NULL;
    bool any_pg = false;
    for (int i = 0; i < n_runs; i++) {
        char dir[4096];
        fmt(dir, sizeof dir, "%s/%s", schemas_dir, runs[i].name);
        read_provider(dir, runs[i].provider, sizeof runs[i].provider);
        any_pg |= is_postgres(runs[i].provider);
    }
    if (any_pg) {
        pg_url = pgserver_shared_url(&pg_skipped, pg_err, sizeof pg_err);
        if (!pg_url && !pg_skipped)
            printf("PostgreSQL: %s\n", pg_err);
    }

    for (int i = 0; i < n_runs; i++) {
        runs[i].provider[0] = '\0';
        run_schema(&runs[i], pg_url, pg_skipped != 0);
        printf("%-28s reached %-8s %s\n", runs[i].name, stage_label(runs[i].reached),
               runs[i].reached + 1 < N_STAGES ? runs[i].errors[runs[i].reached + 1] : "");
    }

    /* The table. */
    printf("\n%-28s %-10s %5s", "schema", "provider", "files");
    for (int st = 0; st < N_STAGES; st++)
        printf(" %-8s", stage_names[st]);
    printf(" %-8s %-8s %s\n", "reached", "expected", "verdict");
    int regressions = 0, improvements = 0, reached_counts[N_STAGES] = { 0 };
    for (int i = 0; i < n_runs; i++) {
        schema_run *r = &runs[i];
        printf("%-28s %-10s %5d", r->name, r->provider, r->n_files);
        for (int st = 0; st < N_STAGES; st++)
            printf(" %-8s", r->results[st] == PASSED ? "pass" : r->results[st] == FAILED ? "FAIL" : "-");
        const char *verdict = "as expected";
        bool pg_not_run = ((pg_skipped && is_postgres(r->provider)) || r->mysql_skipped) && r->reached == ST_CLANG &&
                          r->expected > ST_CLANG;
        if (r->expected == -2) {
            verdict = "NOT IN EXPECTED.tsv";
            status = 1;
        } else if (pg_not_run) {
            verdict = r->mysql_skipped ? "not checked (MySQL skipped)" : "not checked (PostgreSQL skipped)";
        } else if (r->reached < r->expected) {
            verdict = "REGRESSION";
            regressions++;
            status = 1;
        } else if (r->reached > r->expected) {
            verdict = "BETTER than expected: tighten EXPECTED.tsv";
            improvements++;
            status = 1;
        } else if (r->reached == ST_RECORDS) {
            /* Records reached both times: as many models made as expected. */
            int ok = records_ok(r->records_summary), expected_ok = records_ok(r->expected_reason);
            if (ok < expected_ok) {
                verdict = "REGRESSION (fewer models made)";
                regressions++;
                status = 1;
            } else if (ok > expected_ok) {
                verdict = "BETTER than expected (more models made): tighten EXPECTED.tsv";
                improvements++;
                status = 1;
            }
        }
        printf(" %-8s %-8s %s\n", stage_label(r->reached), stage_label(r->expected), verdict);
        for (int st = 0; st <= r->reached; st++)
            reached_counts[st]++;
    }
    printf("\n%d schemas;", n_runs);
    for (int st = 0; st < N_STAGES; st++)
        printf(" %s %d%s", stage_names[st], reached_counts[st], st + 1 < N_STAGES ? "," : "\n");
    printf("(a stage's count: the schemas whose stages up to it all passed)\n\n");

    /* Why each schema stopped where it did, and its records. */
    printf("First error of each failed stage:\n");
    for (int i = 0; i < n_runs; i++) {
        schema_run *r = &runs[i];
        for (int st = 0; st < N_STAGES; st++)
            if (r->results[st] == FAILED || (st == ST_PUSH && r->errors[st][0] && r->results[st] == NOT_RUN))
                printf("  %-28s %-8s %s\n", r->name, stage_names[st], r->errors[st]);
        if (r->records_summary[0])
            printf("  %-28s records  %s\n", r->name, r->records_summary);
        if (r->expected >= -1 && r->reached != r->expected)
            printf("  %-28s expected %s: %s\n", r->name, stage_label(r->expected), r->expected_reason);
    }
    if (regressions || improvements)
        printf("\n%d regressions, %d schemas better than expected\n", regressions, improvements);

    const char *write_path = getenv("PRISMAC_REALWORLD_WRITE");
    if (write_path && *write_path) {
        /* A share writes its lines to FILE.K-of-N: the shares run side by side. */
        char shard_path[4096];
        if (n_shards > 1) {
            fmt(shard_path, sizeof shard_path, "%s.%d-of-%d", write_path, shard + 1, n_shards);
            write_path = shard_path;
        }
        FILE *w = fopen(write_path, "w");
        if (w) {
            fprintf(w, "# schema\tlast stage expected to pass\tthe first error of the stage after it\n");
            for (int i = 0; i < n_runs; i++) {
                schema_run *r = &runs[i];
                fprintf(w, "%s\t%s\t%s\n", r->name, stage_label(r->reached),
                        r->reached + 1 < N_STAGES ? r->errors[r->reached + 1] : r->records_summary);
            }
            fclose(w);
            printf("expectations written to %s\n", write_path);
        }
    }
    if (getenv("PRISMAC_REALWORLD_KEEP"))
        printf("work folder kept: %s\n", workdir);
    else
        remove_tree(workdir);
    free(runs);
    return status;
}
