#include "testdb.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgserver.h"

extern char **environ;

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
    if (strcmp(backend, "sqlite") == 0) {
        char dir[] = "/tmp/prismac-test-XXXXXX";
        if (!mkdtemp(dir)) {
            snprintf(errbuf, errlen, "mkdtemp failed");
            return NULL;
        }
        snprintf(url, sizeof url, "file:%s/test.db", dir);
    } else {
        int skip = 0;
        const char *base = pgserver_shared_url(&skip, errbuf, errlen);
        *skipped = skip != 0;
        if (!base)
            return NULL;
        snprintf(url, sizeof url, "%s", base);
    }
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
    if (strncmp(url, "file:", 5) == 0) {
        sqlite3 *db;
        if (sqlite3_open(url + 5, &db) != SQLITE_OK) {
            sqlite3_close(db);
            return -1;
        }
        sqlite3_busy_timeout(db, 5000);
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char sql[512];
            snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", tables[i]);
            rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
        }
        if (rc == 0)
            rc = sqlite3_exec(db, "DELETE FROM sqlite_sequence", NULL, NULL, NULL) == SQLITE_OK ? 0 : 0;
        sqlite3_close(db);
        return rc;
    }
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK) {
        PQfinish(pg);
        return -1;
    }
    char sql[4096] = "TRUNCATE ";
    for (size_t i = 0; i < n; i++) {
        strcat(sql, i ? ", \"" : "\"");
        strcat(sql, tables[i]);
        strcat(sql, "\"");
    }
    strcat(sql, " RESTART IDENTITY CASCADE");
    PGresult *res = PQexec(pg, sql);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    PQclear(res);
    PQfinish(pg);
    return rc;
}
