/* What the throwaway test servers (pgserver.c, myserver.c) share: child
 * processes started as another user, ports, logs, waits and the removal of
 * their folders. Test support only. */
#ifndef PRISMAC_TESTS_SERVERPROC_H
#define PRISMAC_TESTS_SERVERPROC_H

#include <ftw.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* The bytes of a server's log an error message quotes. */
#define LOG_TAIL_BYTES 700

/* Identity child processes switch to; drop == 0 means stay as we are. */
typedef struct {
    int drop;
    uid_t uid;
    gid_t gid;
} runas;

/* printf into buf (len bytes); nothing when buf is NULL. */
void srv_seterr(char *buf, size_t len, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* "a/b", malloc'd; NULL when out of memory. */
char *srv_pathjoin(const char *a, const char *b);
long long srv_now_ms(void); /* monotonic */
void srv_sleep_ms(long ms);
/* Last bytes of a log file, NUL-terminated; "" if unreadable. */
void srv_read_tail(const char *path, char *buf, size_t len);
/* Log tail squeezed onto one line, for a one-paragraph error message. */
void srv_log_summary(const char *path, char *out, size_t outlen);
/* "exit status 1", "killed by signal 9": a wait status in words. */
void srv_describe_status(int st, char *buf, size_t len);
/* Whether dir/name is an executable file. */
int srv_is_exec_in(const char *dir, const char *name);
/* A port that was free a moment ago on 127.0.0.1 (the kernel picks it). */
int srv_pick_port(void);
/* Can uid traverse every component of dir?  (Group bits ignored: conservative.) */
int srv_reachable_by(const char *dir, uid_t uid);
/* open() that never returns 0-2, so the child's dup2 onto 0-2 cannot clobber it. */
int srv_open_high(const char *path, int flags, mode_t mode);
/* fork+execve argv[0] with stdin=/dev/null and stdout/stderr appended to
 * logpath, in cwd, as ra; pdeathsig != 0 asks Linux to send that signal to
 * the child when we die. Returns the pid, or -1 with errbuf set. */
pid_t srv_spawn(const char *const argv[], const char *const envp[], const char *cwd, const char *logpath,
                const runas *ra, int pdeathsig, char *errbuf, size_t errlen);
/* Waits up to timeout_ms for pid to exit: 1 if it exited (wait status in
 * *status, -1 if unknown), 0 on timeout. Also works when pid is not our child
 * (a forked test process): then it watches the process and, if given, its
 * pidfile. */
int srv_wait_exit(pid_t pid, const char *pidfile, long timeout_ms, int *status);
/* nftw callback removing each entry (FTW_DEPTH | FTW_PHYS). */
int srv_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw);

#endif
