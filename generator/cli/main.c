/* prismac: argv -> command, the one option parser, exit statuses. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "prisma/prisma.h"
#include "prismac.h"

static int cli_version(const cli_options *o)
{
    (void)o;
    printf("prismac %s (libprisma %s)\n", PRISMA_VERSION_STRING, prisma_version());
    return CLI_OK;
}

static const cli_command commands[] = {
    { "validate", CLI_OPT_SCHEMA, "[--schema PATH]",
      "Checks the schema; errors and warnings go to stderr, exit 1 on error (warnings pass).\n",
      cli_validate },
    { "format", CLI_OPT_SCHEMA | CLI_OPT_CHECK, "[--schema PATH] [--check]",
      "Rewrites the schema in Prisma's canonical layout (each file of a folder in place).\n"
      "  --check         only report whether it is formatted (exit 1 when not)\n",
      cli_format },
    { "generate", CLI_OPT_SCHEMA | CLI_OPT_OUTPUT | CLI_OPT_TEMPLATES, "[--schema PATH] [--output DIR] [--templates DIR]",
      "Writes the C client (client.h, client.c).\n"
      "  --output DIR    where to write (default: the generator block's output, relative to the\n"
      "                  folder of the file holding the generator block, else ./generated there)\n"
      "  --templates DIR client.h.tmpl and client.c.tmpl to use instead of the built-in ones\n",
      cli_generate },
    { "db push", CLI_OPT_SCHEMA | CLI_OPT_URL | CLI_OPT_FORCE_RESET | CLI_OPT_ACCEPT_DATA_LOSS,
      "[--schema PATH] [--url URL] [--accept-data-loss] [--force-reset]",
      "Makes the database match the schema, as Prisma's db push.\n"
      "Creates, changes and drops the tables, columns, enums, indexes and foreign keys so the\n"
      "database matches the schema, in one transaction. Changes that may lose data are listed\n"
      "and stop it (exit 1, nothing changed) unless --accept-data-loss; changes that cannot run\n"
      "over the rows there are stop it unless --force-reset.\n"
      "  --url URL       the database (default: the datasource's url = \"...\" or env(\"X\"); with no\n"
      "                  url in the schema (Prisma 7), DATABASE_URL; a variable is read from the\n"
      "                  environment, then from ./.env)\n"
      "                  file:PATH (SQLite, relative to the current folder),\n"
      "                  postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=SCHEMA\n"
      "  --accept-data-loss  apply the changes that may lose data (dropped columns and tables,\n"
      "                  casts, new unique constraints, removed enum values)\n"
      "  --force-reset   drop every table, view and enum in the database (its schemas) first:\n"
      "                  all data is lost\n",
      cli_db_push },
    { "migrate diff", CLI_OPT_DIFF | CLI_OPT_SCHEMA | CLI_OPT_SHADOW,
      "--from-... --to-... [--script] [--exit-code] [-o FILE]",
      "Compares two database schemas: prints the difference, or the migration script between them.\n"
      "  --from-empty | --from-schema PATH | --from-url URL | --from-config-datasource\n"
      "                  the starting state (config-datasource: the database of --schema's datasource)\n"
      "  --to-empty | --to-schema PATH\n"
      "                  the target state\n"
      "  --script        print the SQL migration script instead of the summary\n"
      "  --exit-code     exit 0 when there is no difference, 2 when there is one (1: error)\n"
      "  --output, -o FILE  write to FILE instead of stdout\n",
      cli_migrate_diff },
    { "version", 0, "", "Prints the version.\n", cli_version },
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static void usage(FILE *out)
{
    fputs("Usage: prismac <command> [options]\n\nCommands:\n", out);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const char *help = commands[i].help, *nl = strchr(help, '\n');
        fprintf(out, "  %-9s %s\n            %.*s\n", commands[i].name, commands[i].synopsis,
                (int)(nl ? (size_t)(nl - help) : strlen(help)), help);
    }
    fputs("\n"
          "Every command takes --help (-h). The schema defaults to ./schema.prisma, then\n"
          "./prisma/schema.prisma; --schema may name a folder (a multi-file schema: every\n"
          "*.prisma file under it).\n"
          "Supported datasource providers: sqlite, postgresql (alias postgres), cockroachdb.\n",
          out);
}

static void command_usage(const cli_command *c, FILE *out)
{
    fprintf(out, "Usage: prismac %s%s%s\n\n%s", c->name, *c->synopsis ? " " : "", c->synopsis, c->help);
    if (c->options & CLI_OPT_SCHEMA)
        fputs("  --schema PATH   the schema: a file, or a folder whose *.prisma files (subfolders too) are\n"
              "                  one schema (default: ./schema.prisma, then ./prisma/schema.prisma)\n",
              out);
    fputs("  --help, -h      print this help\n", out);
}

/* Every option of every command; a command accepts those of its bits. */
typedef enum opt_id {
    O_SCHEMA, O_CHECK, O_OUTPUT, O_TEMPLATES, O_URL, O_FORCE_RESET, O_ACCEPT_DATA_LOSS, O_NAME, O_CREATE_ONLY,
    O_APPLIED, O_ROLLED_BACK, O_FORCE, O_FROM_EMPTY, O_TO_EMPTY, O_FROM_SCHEMA, O_TO_SCHEMA, O_FROM_MIGRATIONS,
    O_TO_MIGRATIONS, O_FROM_URL, O_TO_URL, O_FROM_CONFIG, O_TO_CONFIG, O_SCRIPT, O_EXIT_CODE, O_DIFF_OUTPUT,
    O_SHADOW, O_FILE, O_STDIN, O_PRINT, O_SCHEMAS,
} opt_id;

static const struct {
    const char *name, *alias; /* alias: a short form, or NULL */
    unsigned bit;
    opt_id id;
    bool takes_value;
} option_names[] = {
    { "--schema", NULL, CLI_OPT_SCHEMA, O_SCHEMA, true },
    { "--check", NULL, CLI_OPT_CHECK, O_CHECK, false },
    { "--output", NULL, CLI_OPT_OUTPUT, O_OUTPUT, true },
    { "--templates", NULL, CLI_OPT_TEMPLATES, O_TEMPLATES, true },
    { "--url", NULL, CLI_OPT_URL, O_URL, true },
    { "--force-reset", NULL, CLI_OPT_FORCE_RESET, O_FORCE_RESET, false },
    { "--accept-data-loss", NULL, CLI_OPT_ACCEPT_DATA_LOSS, O_ACCEPT_DATA_LOSS, false },
    { "--name", "-n", CLI_OPT_NAME, O_NAME, true },
    { "--create-only", NULL, CLI_OPT_CREATE_ONLY, O_CREATE_ONLY, false },
    { "--applied", NULL, CLI_OPT_RESOLVE, O_APPLIED, true },
    { "--rolled-back", NULL, CLI_OPT_RESOLVE, O_ROLLED_BACK, true },
    { "--force", "-f", CLI_OPT_FORCE, O_FORCE, false },
    { "--from-empty", NULL, CLI_OPT_DIFF, O_FROM_EMPTY, false },
    { "--to-empty", NULL, CLI_OPT_DIFF, O_TO_EMPTY, false },
    { "--from-schema", NULL, CLI_OPT_DIFF, O_FROM_SCHEMA, true },
    { "--to-schema", NULL, CLI_OPT_DIFF, O_TO_SCHEMA, true },
    { "--from-migrations", NULL, CLI_OPT_DIFF, O_FROM_MIGRATIONS, true },
    { "--to-migrations", NULL, CLI_OPT_DIFF, O_TO_MIGRATIONS, true },
    { "--from-url", NULL, CLI_OPT_DIFF, O_FROM_URL, true },
    { "--to-url", NULL, CLI_OPT_DIFF, O_TO_URL, true },
    { "--from-config-datasource", NULL, CLI_OPT_DIFF, O_FROM_CONFIG, false },
    { "--to-config-datasource", NULL, CLI_OPT_DIFF, O_TO_CONFIG, false },
    { "--script", NULL, CLI_OPT_DIFF, O_SCRIPT, false },
    { "--exit-code", NULL, CLI_OPT_DIFF, O_EXIT_CODE, false },
    { "--output", "-o", CLI_OPT_DIFF, O_DIFF_OUTPUT, true },
    { "--shadow-database-url", NULL, CLI_OPT_SHADOW, O_SHADOW, true },
    { "--file", NULL, CLI_OPT_SCRIPT_INPUT, O_FILE, true },
    { "--stdin", NULL, CLI_OPT_SCRIPT_INPUT, O_STDIN, false },
    { "--print", NULL, CLI_OPT_PRINT, O_PRINT, false },
    { "--schemas", NULL, CLI_OPT_SCHEMAS, O_SCHEMAS, true },
};
enum { N_OPTIONS = sizeof option_names / sizeof option_names[0] };

/* Sets one side of migrate diff; returns -1 when that side was already given. */
static int set_side(cli_diff_side *side, cli_diff_kind kind, const char *value)
{
    if (side->kind != CLI_DIFF_NONE)
        return -1;
    side->kind = kind;
    side->value = value;
    return 0;
}

/* Returns 0, or -1 when the option repeats a side of migrate diff. */
static int set_option(cli_options *o, opt_id id, const char *value)
{
    switch (id) {
    case O_SCHEMA: o->schema = value; o->schema_given = true; break;
    case O_CHECK: o->check = true; break;
    case O_OUTPUT: case O_DIFF_OUTPUT: o->output = value; break;
    case O_TEMPLATES: o->templates = value; break;
    case O_URL: o->url = value; break;
    case O_FORCE_RESET: o->force_reset = true; break;
    case O_ACCEPT_DATA_LOSS: o->accept_data_loss = true; break;
    case O_NAME: o->name = value; break;
    case O_CREATE_ONLY: o->create_only = true; break;
    case O_APPLIED: o->applied = value; break;
    case O_ROLLED_BACK: o->rolled_back = value; break;
    case O_FORCE: o->force = true; break;
    case O_FROM_EMPTY: return set_side(&o->from, CLI_DIFF_EMPTY, NULL);
    case O_TO_EMPTY: return set_side(&o->to, CLI_DIFF_EMPTY, NULL);
    case O_FROM_SCHEMA: return set_side(&o->from, CLI_DIFF_SCHEMA, value);
    case O_TO_SCHEMA: return set_side(&o->to, CLI_DIFF_SCHEMA, value);
    case O_FROM_MIGRATIONS: return set_side(&o->from, CLI_DIFF_MIGRATIONS, value);
    case O_TO_MIGRATIONS: return set_side(&o->to, CLI_DIFF_MIGRATIONS, value);
    case O_FROM_URL: return set_side(&o->from, CLI_DIFF_URL, value);
    case O_TO_URL: return set_side(&o->to, CLI_DIFF_URL, value);
    case O_FROM_CONFIG: return set_side(&o->from, CLI_DIFF_CONFIG_DATASOURCE, NULL);
    case O_TO_CONFIG: return set_side(&o->to, CLI_DIFF_CONFIG_DATASOURCE, NULL);
    case O_SCRIPT: o->script = true; break;
    case O_EXIT_CODE: o->exit_code = true; break;
    case O_SHADOW: o->shadow_url = value; break;
    case O_FILE: o->file = value; break;
    case O_STDIN: o->from_stdin = true; break;
    case O_PRINT: o->print = true; break;
    case O_SCHEMAS: o->schemas = value; break;
    }
    return 0;
}

/* The one option parser: `--name VALUE`, `--name=VALUE`, flags, --help.
 * Returns -1 to run the command, or the exit status to stop with. */
static int parse_options(const cli_command *c, int argc, char **argv, cli_options *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            command_usage(c, stdout);
            return CLI_OK;
        }
        if (strcmp(a, "--") == 0 && (c->options & CLI_OPT_PASSTHROUGH)) {
            o->rest = argv + i + 1;
            o->n_rest = argc - i - 1;
            break;
        }
        size_t k = 0;
        const char *value = NULL;
        for (; k < N_OPTIONS; k++) {
            if (!(c->options & option_names[k].bit))
                continue;
            const char *nm = option_names[k].name;
            size_t n = strlen(nm);
            if (option_names[k].alias && strcmp(a, option_names[k].alias) == 0)
                break;
            if (strncmp(a, nm, n) != 0)
                continue;
            if (a[n] == '\0')
                break;
            if (a[n] == '=' && option_names[k].takes_value) {
                value = a + n + 1;
                break;
            }
        }
        if (k == N_OPTIONS) {
            fprintf(stderr, "prismac %s: unknown option '%s'\n\n", c->name, a);
            command_usage(c, stderr);
            return CLI_USAGE;
        }
        if (option_names[k].takes_value && !value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "prismac %s: option '%s' needs a value\n\n", c->name, a);
                command_usage(c, stderr);
                return CLI_USAGE;
            }
            value = argv[++i];
        }
        if (set_option(o, option_names[k].id, value) != 0) {
            fprintf(stderr, "prismac %s: '%s': only one --from-... and one --to-... may be given\n\n", c->name, a);
            command_usage(c, stderr);
            return CLI_USAGE;
        }
    }
    /* migrate diff reads --schema only for a --*-config-datasource side. */
    bool schema_optional = (c->options & CLI_OPT_DIFF) && o->from.kind != CLI_DIFF_CONFIG_DATASOURCE &&
                           o->to.kind != CLI_DIFF_CONFIG_DATASOURCE;
    if ((c->options & CLI_OPT_SCHEMA) && !o->schema && !schema_optional) {
        o->schema = prismac_default_schema();
        if (!o->schema) {
            fprintf(stderr,
                    "prismac %s: no schema found: looked for ./schema.prisma and ./prisma/schema.prisma "
                    "(use --schema FILE or --schema FOLDER)\n",
                    c->name);
            return CLI_USAGE;
        }
    }
    return -1;
}

int prismac_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0)
        cmd = "version";
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const cli_command *c = &commands[i];
        const char *space = strchr(c->name, ' ');
        int words = 1;
        if (space) { /* "db push": two words */
            if (strncmp(cmd, c->name, (size_t)(space - c->name)) != 0 || cmd[space - c->name] != '\0' ||
                argc < 3 || strcmp(argv[2], space + 1) != 0)
                continue;
            words = 2;
        } else if (strcmp(cmd, c->name) != 0) {
            continue;
        }
        cli_options o;
        int rc = parse_options(c, argc - 1 - words, argv + 1 + words, &o);
        return rc >= 0 ? rc : c->run(&o);
    }
    fprintf(stderr, "prismac: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    return prismac_main(argc, argv);
}
