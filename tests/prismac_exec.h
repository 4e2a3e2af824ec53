/* Runs the prismac executable for the tests of its commands: the compiler
 * tests link only the compiler library, so the command line (which also
 * holds db push) runs as its own process. meson sets PRISMAC to its path. */
#ifndef PRISMAC_EXEC_H
#define PRISMAC_EXEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs `prismac ARGV[1..]` (argv[0] is ignored; NULL-terminated) with the
 * caller's stdin/stdout/stderr. Returns its exit status, 128 + the signal
 * when it was killed, or -1 when it could not run. */
static inline int prismac_exec(char **argv)
{
    const char *exe = getenv("PRISMAC");
    if (!exe) {
        fprintf(stderr, "PRISMAC is not set (the path of the prismac executable)\n");
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        argv[0] = strdup(exe);
        execv(exe, argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

#endif
