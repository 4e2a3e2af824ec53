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
    { "db push", CLI_OPT_SCHEMA | CLI_OPT_URL | CLI_OPT_FORCE_RESET, "[--schema PATH] [--url URL] [--force-reset]",
      "Makes the database match the schema (what it lacks is created).\n"
      "Creates the tables, columns, enums, indexes and foreign keys of the schema that the\n"
      "database lacks, in one transaction. Changes that would lose data are refused.\n"
      "  --url URL       the database (default: the datasource's url = \"...\" or env(\"X\"); with no\n"
      "                  url in the schema (Prisma 7), DATABASE_URL; a variable is read from the\n"
      "                  environment, then from ./.env)\n"
      "                  file:PATH (SQLite, relative to the current folder),\n"
      "                  postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=SCHEMA\n"
      "  --force-reset   drop every table, view and enum in the database (its schemas) first:\n"
      "                  all data is lost\n",
      cli_db_push },
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

static const struct {
    const char *name;
    unsigned bit;
    bool takes_value;
} option_names[] = {
    { "--schema", CLI_OPT_SCHEMA, true },  { "--check", CLI_OPT_CHECK, false },
    { "--output", CLI_OPT_OUTPUT, true },  { "--templates", CLI_OPT_TEMPLATES, true },
    { "--url", CLI_OPT_URL, true },        { "--force-reset", CLI_OPT_FORCE_RESET, false },
};

static void set_option(cli_options *o, unsigned bit, const char *value)
{
    switch (bit) {
    case CLI_OPT_SCHEMA: o->schema = value; break;
    case CLI_OPT_CHECK: o->check = true; break;
    case CLI_OPT_OUTPUT: o->output = value; break;
    case CLI_OPT_TEMPLATES: o->templates = value; break;
    case CLI_OPT_URL: o->url = value; break;
    case CLI_OPT_FORCE_RESET: o->force_reset = true; break;
    default: break;
    }
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
        size_t k = 0;
        const char *value = NULL;
        for (; k < sizeof option_names / sizeof option_names[0]; k++) {
            size_t n = strlen(option_names[k].name);
            if (!(c->options & option_names[k].bit) || strncmp(a, option_names[k].name, n) != 0)
                continue;
            if (a[n] == '\0')
                break;
            if (a[n] == '=' && option_names[k].takes_value) {
                value = a + n + 1;
                break;
            }
        }
        if (k == sizeof option_names / sizeof option_names[0]) {
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
        set_option(o, option_names[k].bit, value);
    }
    if ((c->options & CLI_OPT_SCHEMA) && !o->schema) {
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
