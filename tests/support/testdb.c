#include "testdb.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


extern char **environ;

const testdb_backend *testdb;

const testdb_backend *testdb_backend_named(const char *name)
{
    for (size_t i = 0; testdb_backends[i]; i++)
        if (strcmp(testdb_backends[i]->name, name) == 0)
            return testdb_backends[i];
    return NULL;
}

const char *testdb_sql(const char *fmt, ...)
{
    static _Thread_local char ring[16][4096];
    static _Thread_local unsigned next;
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char *out = ring[next++ % 16];
    size_t o = 0;
    bool in_literal = false;
    for (const char *p = text; *p && o + 2 < sizeof ring[0]; p++) {
        if (*p == '\'')
            in_literal = !in_literal; /* '' inside a literal toggles twice */
        /* `$` then a digit is a parameter; any other `$` is left alone. */
        if (*p == '$' && p[1] >= '1' && p[1] <= '9' && !in_literal) {
            out[o++] = testdb->placeholder;
            while (testdb->unnumbered_placeholders && p[1] >= '0' && p[1] <= '9')
                p++;
        }
        else if (*p == '"' && !in_literal && testdb->identifier_quote)
            out[o++] = testdb->identifier_quote;
        else
            out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

const char *testdb_circle_sql(int x, int y, int r)
{
    return testdb_sql("'<(%d,%d),%d>'", x, y, r);
}

const char *testdb_circle_text(int x, int y, int r)
{
    return testdb_sql("<(%d,%d),%d>", x, y, r);
}

const char *testdb_cast_as_text(const char *col)
{
    return testdb_sql("CAST(%s AS TEXT)", col);
}

int testdb_run(const char *const *argv, char *out, size_t outlen)
{
    char path[] = "/tmp/prismac-testdb-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    pid_t pid;
    char *args[32];
    size_t n = 0;
    for (; argv[n] && n < 31; n++)
        args[n] = strdup(argv[n]);
    args[n] = NULL;
    int rc = posix_spawn(&pid, args[0], &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    for (size_t i = 0; i < n; i++)
        free(args[i]);
    int status = -1;
    if (rc == 0 && waitpid(pid, &status, 0) == pid)
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    else
        status = -1;
    if (out && outlen) {
        lseek(fd, 0, SEEK_SET);
        ssize_t got = read(fd, out, outlen - 1);
        out[got > 0 ? got : 0] = '\0';
    }
    close(fd);
    unlink(path);
    return status;
}

const char *testdb_setup(const char *backend, const char *prismac, const char *schema_path, bool *skipped,
                         char *errbuf, size_t errlen)
{
    static char url[1024];
    *skipped = false;
    const testdb_backend *b = testdb_backend_named(backend);
    if (!b) {
        snprintf(errbuf, errlen, "no test backend is called \"%s\" (see test_backends in tests/meson.build)", backend);
        return NULL;
    }
    testdb = b;
    if (b->prepare(url, sizeof url, skipped, errbuf, errlen) != 0)
        return NULL;
    char out[4096];
    const char *argv[] = { prismac, "db", "push", "--schema", schema_path, "--url", url, "--force-reset", NULL };
    int rc = testdb_run(argv, out, sizeof out);
    if (rc != 0) {
        snprintf(errbuf, errlen, "prismac db push failed (%d): %s", rc, out);
        return NULL;
    }
    return url;
}

int testdb_truncate(const char *url, const char *const *tables, size_t n)
{
    return testdb ? testdb->reset(url, tables, n) : -1;
}
