/* db execute and db seed (commands.h). */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "migrations.h"
#include "session.h"

/* The whole of stdin; malloc'd, NUL-terminated. */
static int read_stdin(char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    if (!buf)
        return -1;
    while ((got = fread(buf + n, 1, cap - n - 1, stdin)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return -1;
            }
            buf = grown;
            cap *= 2;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int migrations_db_execute(const migrations_cmd_options *o)
{
    mig_session S = { 0 };
    char *script = NULL;
    size_t len = 0;
    int rc = 1;
    if ((o->file != NULL) == o->from_stdin) {
        fprintf(stderr, "Error: %s\n",
                o->file ? "--stdin and --file are mutually exclusive. Please specify only one of them."
                        : "Either --stdin or --file must be provided.\nSee `prismac db execute --help`");
        return 1;
    }
    if (o->url && o->schema_given) {
        fprintf(stderr, "Error: --url and --schema are mutually exclusive. Please specify only one of them.\n");
        return 1;
    }
    if (o->file ? prismac_read_file(o->file, &script, &len) != 0 : read_stdin(&script, &len) != 0) {
        fprintf(stderr, "Error: cannot read %s: %s\n", o->file ? o->file : "stdin", strerror(errno));
        return 1;
    }
    if (o->url) {
        const migrate_dialect *D = migrate_dialect_for_url(o->url);
        if (!D) {
            fprintf(stderr, "Error: P1013: The provided database string is invalid: unknown scheme in %s "
                            "(file: for SQLite, postgresql:// for PostgreSQL)\n", o->url);
            goto done;
        }
        if (session_open_url(&S, "db execute", D, o->url) != 0)
            goto done;
    } else {
        int lrc = session_load(&S, "db execute", o->schema_path);
        if (lrc != 0) {
            rc = lrc;
            goto done;
        }
        if (session_open(&S, NULL) != 0)
            goto done;
    }
    /* Prisma sends the whole script as one command: the database's own
     * multi-statement execution (PostgreSQL runs it as one implicit
     * transaction unless it holds transaction control). */
    if (mc_exec(&S.c, script) != 0) {
        fprintf(stderr, "Error: P1014\n\n%s\n", S.c.err);
        goto done;
    }
    printf("Script executed successfully.\n");
    rc = 0;
done:
    free(script);
    session_close(&S);
    fflush(stdout);
    return rc;
}

/* Shell-quotes `arg` into a (single quotes; ' as '\''). */
static int append_quoted(char **cmd, size_t *len, const char *arg)
{
    size_t extra = 3;
    for (const char *p = arg; *p; p++)
        extra += *p == '\'' ? 4 : 1;
    char *grown = realloc(*cmd, *len + extra + 1);
    if (!grown)
        return -1;
    *cmd = grown;
    char *o = *cmd + *len;
    *o++ = ' ';
    *o++ = '\'';
    for (const char *p = arg; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    *len = (size_t)(o - *cmd);
    return 0;
}

/* The seed command: prisma.config.ts's migrations.seed (Prisma 7), else
 * package.json's "prisma": { "seed": ... } (Prisma 6 and before), looked up
 * from the current folder. 1 found, 0 none, -1 error. */
static int find_seed(char **cmd, char *err)
{
    char *config = NULL;
    int found = 0;
    *cmd = NULL;
    if (migrations_find_config(".", &config) == 1) {
        found = migrations_config_string(config, "migrations", "seed", cmd, err);
        free(config);
        if (found != 0)
            return found;
    }
    if (access("package.json", R_OK) == 0)
        found = migrations_config_string("package.json", "prisma", "seed", cmd, err);
    return found;
}

int migrations_db_seed(const migrations_cmd_options *o)
{
    char err[MIG_ERR_LEN] = "";
    char *cmd = NULL;
    int found = find_seed(&cmd, err);
    if (found < 0) {
        fprintf(stderr, "Error: %s\n", err);
        return 1;
    }
    if (found == 0) {
        printf("\u26A0\uFE0F No seed command configured\n\n"
               "To seed your database, add a seed property to the migrations section in your Prisma config file.\n\n"
               "Example\n\n"
               "  // prisma.config.ts\n"
               "  export default defineConfig({\n"
               "    migrations: {\n"
               "      seed: 'bun ./prisma/seed.ts',\n"
               "    },\n"
               "    datasource: {\n"
               "      url: '[your database URL]',\n"
               "    },\n"
               "  })\n");
        return 0;
    }
    size_t len = strlen(cmd);
    for (int i = 0; i < o->n_rest; i++)
        if (append_quoted(&cmd, &len, o->rest[i]) != 0) {
            fprintf(stderr, "Error: out of memory\n");
            free(cmd);
            return 1;
        }
    printf("Running seed command `%s` ...\n", cmd);
    fflush(stdout);
    fflush(stderr);
    int rc = 1;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        fprintf(stderr, "Error: cannot run /bin/sh: %s\n", strerror(errno));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("\n\U0001F331  The seed command has been executed.\n");
        rc = 0;
    } else {
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        fprintf(stderr, "\nAn error occurred while running the seed command:\n"
                        "Error: Command failed with exit code %d: %s\n", rc, cmd);
    }
    free(cmd);
    return rc;
}
