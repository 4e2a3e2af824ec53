/* The prismac command line: one option parser and a table of commands, each
 * a thin layer over the library (prismac.h) or db push (migrate/push.h). */
#ifndef PRISMAC_CLI_H
#define PRISMAC_CLI_H

#include <stdbool.h>

/* prismac_read_file and friends used to be declared here; kept for the code
 * that still includes this header for them. */
#include "fileio.h"

/* Exit statuses of every command. */
enum {
    CLI_OK = 0,     /* done; for format --check: formatted */
    CLI_FAILED = 1, /* the schema has errors, a file cannot be read, ... */
    CLI_USAGE = 2,  /* unknown command or option, missing value, no schema */
};

/* The options a command accepts (cli_command.options). */
enum {
    CLI_OPT_SCHEMA = 1 << 0,      /* --schema FILE or FOLDER */
    CLI_OPT_CHECK = 1 << 1,       /* --check */
    CLI_OPT_OUTPUT = 1 << 2,      /* --output DIR */
    CLI_OPT_TEMPLATES = 1 << 3,   /* --templates DIR */
    CLI_OPT_URL = 1 << 4,         /* --url URL */
    CLI_OPT_FORCE_RESET = 1 << 5, /* --force-reset */
    CLI_OPT_ACCEPT_DATA_LOSS = 1 << 6, /* --accept-data-loss */
    CLI_OPT_NAME = 1 << 7,         /* --name NAME, -n NAME */
    CLI_OPT_CREATE_ONLY = 1 << 8,  /* --create-only */
    CLI_OPT_RESOLVE = 1 << 9,      /* --applied NAME, --rolled-back NAME */
    CLI_OPT_FORCE = 1 << 10,       /* --force, -f */
    CLI_OPT_DIFF = 1 << 11,        /* --from-* / --to-* (empty, schema, migrations, url, config-datasource),
                                      --script, --exit-code, --output FILE (-o) */
    CLI_OPT_SHADOW = 1 << 12,      /* --shadow-database-url URL */
    CLI_OPT_SCRIPT_INPUT = 1 << 13, /* --file FILE, --stdin */
    CLI_OPT_PRINT = 1 << 14,       /* --print */
    CLI_OPT_SCHEMAS = 1 << 15,     /* --schemas A,B */
    CLI_OPT_PASSTHROUGH = 1 << 16, /* `-- ARGS...` handed on (db seed) */
};

/* One side of `migrate diff`. */
typedef enum cli_diff_kind {
    CLI_DIFF_NONE,
    CLI_DIFF_EMPTY,             /* --from-empty */
    CLI_DIFF_SCHEMA,            /* --from-schema PATH (file or folder) */
    CLI_DIFF_MIGRATIONS,        /* --from-migrations DIR */
    CLI_DIFF_URL,               /* --from-url URL */
    CLI_DIFF_CONFIG_DATASOURCE, /* --from-config-datasource: the schema's datasource (--schema) */
} cli_diff_kind;

typedef struct cli_diff_side {
    cli_diff_kind kind;
    const char *value; /* the path or url; NULL for empty and config-datasource */
} cli_diff_side;

/* Parsed options. With CLI_OPT_SCHEMA, `schema` is never NULL: the named
 * file or folder, or the default (prismac_default_schema). */
typedef struct cli_options {
    const char *schema, *output, *templates, *url;
    bool check, force_reset;
    bool accept_data_loss, create_only, force, script, exit_code, print, from_stdin;
    bool schema_given;         /* --schema was on the command line (else the default) */
    const char *name;          /* --name */
    const char *applied, *rolled_back; /* migrate resolve */
    const char *shadow_url;    /* --shadow-database-url */
    const char *file;          /* db execute --file */
    const char *schemas;       /* db pull --schemas (comma-separated) */
    cli_diff_side from, to;    /* migrate diff */
    int n_rest;                /* after `--` (CLI_OPT_PASSTHROUGH) */
    char **rest;
} cli_options;

typedef struct cli_command {
    const char *name;     /* "validate", "db push" */
    unsigned options;     /* CLI_OPT_* */
    const char *synopsis; /* the options, for the usage line */
    const char *help;     /* what it does and what each option means */
    int (*run)(const cli_options *o); /* returns the exit status */
} cli_command;

int cli_validate(const cli_options *o);
int cli_format(const cli_options *o);
int cli_generate(const cli_options *o);
int cli_db_push(const cli_options *o);
int cli_migrate_diff(const cli_options *o);

/* Runs `prismac ARGS...`; returns the exit status. */
int prismac_main(int argc, char **argv);

#endif
