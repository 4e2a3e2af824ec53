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
};

/* Parsed options. With CLI_OPT_SCHEMA, `schema` is never NULL: the named
 * file or folder, or the default (prismac_default_schema). */
typedef struct cli_options {
    const char *schema, *output, *templates, *url;
    bool check, force_reset;
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

/* Runs `prismac ARGS...`; returns the exit status. */
int prismac_main(int argc, char **argv);

#endif
