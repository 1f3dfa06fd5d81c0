/*
 * batch_run.c - running a batch's jobs on this machine, and what every
 * job leaves behind, however it ran.
 *
 * A job is /bin/sh -c PIPELINE with its input on standard input, its
 * standard output on a temporary file in the output's folder (renamed
 * over the output only when the shell exits 0, so no run leaves half an
 * output) and its standard error on an unnamed file, whose first lines
 * become the job's failure. Each job is a process group of its own, so
 * that stopping the batch stops the whole pipeline of every job, not
 * only its shell. Signals reach the wait through a pipe (the self-pipe
 * trick): a SIGCHLD or SIGINT never slips between a check and a wait.
 */
#include "tool.h"
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void batch_state_init(batch_state *s, const batch_opts *o, batch_list *list,
                      batch_manifest *m)
{
	memset(s, 0, sizeof *s);
	s->o = o;
	s->list = list;
	s->m = m;
	for (size_t i = 0; i < list->n; i++)
		s->total += list->v[i].state == JOB_TODO;
	s->t0 = now();
	s->progress = !o->quiet && isatty(STDERR_FILENO);
	s->umask = umask(0);
	umask(s->umask);
}

/* ---- messages ---- */

static void clear_line(batch_state *s)
{
	if (s->line_shown)
		fputs("\r\033[K", stderr);
	s->line_shown = 0;
}

void batch_say(batch_state *s, const char *fmt, ...)
{
	clear_line(s);
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", tool_name());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void batch_progress(batch_state *s)
{
	if (!s->progress)
		return;
	char eta[64] = "";
	if (s->done && s->done < s->total) {
		double left = (now() - s->t0) / (double)s->done * (double)(s->total - s->done);
		if (left < 60)
			snprintf(eta, sizeof eta, ", ETA < 1 min");
		else if (left < 3600)
			snprintf(eta, sizeof eta, ", ETA %.0f min", left / 60);
		else
			snprintf(eta, sizeof eta, ", ETA %ld h %ld min", (long)left / 3600,
			         (long)left % 3600 / 60);
	}
	fprintf(stderr, "\r%s: %zu/%zu done, %zu failed%s\033[K", tool_name(),
	        s->done, s->total, s->failed, eta);
	fflush(stderr);
	s->line_shown = 1;
}

/* ---- a job's files ---- */

int batch_make_folders(const char *path)
{
	const mode_t mode = 0777;
	char *p = strdup(path);
	if (!p)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	int err = 0;
	for (char *q = p + 1; *q && !err; q++) {
		if (*q != '/')
			continue;
		*q = 0;
		struct stat st;
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			err = errno;
		else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
			err = ENOTDIR;
		*q = '/';
	}
	free(p);
	errno = err;
	return err ? -1 : 0;
}

/* The characters a name may have to pass unquoted through the shells
 * and rsync between here and a remote host. */
static int plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/*
 * A new file beside path, ".NAME.tfr-XXXXXX.EXT": it ends like the
 * output, so that a command writing "$TFR_OUTPUT" itself finds its
 * format from the name. With plain, ".tfr-batch-XXXXXX.EXT" and EXT only
 * if plain: a remote host's copy must have a name that needs no quotes
 * (rsync 3.2.4 and later take GNU parallel's quotes literally). Open for
 * writing; -1 with errno.
 */
static int make_temp(const char *path, int plain_name, char **temp)
{
	static unsigned long long seed;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	const char *ext = dot && dot != base ? dot : "";
	for (const char *c = ext; plain_name && *c; c++)
		if (!plain(*c))
			ext = "";
	size_t dir = (size_t)(base - path);
	size_t n = strlen(path) + 24 + strlen(ext);
	char *t = malloc(n);
	if (!t)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	if (!seed)
		seed = (unsigned long long)getpid() * 2654435761u ^ (unsigned long long)(now() * 1e9);
	for (int tries = 0; tries < 100; tries++) {
		char r[7];
		for (int i = 0; i < 6; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			r[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[seed % 62];
		}
		r[6] = 0;
		if (plain_name)
			snprintf(t, n, "%.*s.tfr-batch-%s%s", (int)dir, path, r, ext);
		else
			snprintf(t, n, "%.*s.%s.tfr-%s%s", (int)dir, path, base, r, ext);
		int fd = open(t, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			/* held until the job ends: not stale (batch_temps.c) */
			batch_temp_lock(fd);
			*temp = t;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	free(t);
	return -1;
}

int batch_prepare(batch_state *s, batch_job *j, int plain_name)
{
	struct stat st;
	if (stat(j->out_path, &st) == 0 && (!S_ISREG(st.st_mode) ||
	    !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))) {
		/* as every tool: a read-only output is kept, even for root */
		batch_fail(s, j, "%s: %s, left as it is", batch_shown(j->out_path),
		           S_ISREG(st.st_mode) ? "read-only" : "not a regular file");
		return -1;
	}
	if (batch_make_folders(j->out_path) != 0) {
		batch_fail(s, j, "%s: cannot make its folder: %s",
		           batch_shown(j->out_path), strerror(errno));
		return -1;
	}
	int fd = make_temp(j->out_path, plain_name, &j->temp);
	if (fd < 0) {
		batch_fail(s, j, "%s: %s", batch_shown(j->out_path), strerror(errno));
		return -1;
	}
	return fd;
}

/* ---- a job's end ---- */

/* The wait status of a shell as words: "exit status 3". */
static const char *status_text(int st)
{
	static char buf[96];
	if (WIFEXITED(st))
		snprintf(buf, sizeof buf, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof buf, "killed by signal %d (%s)", WTERMSIG(st),
		         strsignal(WTERMSIG(st)));
	else
		snprintf(buf, sizeof buf, "wait status %d", st);
	return buf;
}

/* The first lines of the captured standard error, blank ones left out;
 * "... (N more lines)" after them. */
enum { ERR_LINES = 3, ERR_BYTES = 1 << 16 };

static char *error_lines(int fd)
{
	char *buf = malloc(ERR_BYTES + 64);
	if (!buf)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	ssize_t n = fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 ? read(fd, buf, ERR_BYTES) : 0;
	size_t len = n > 0 ? (size_t)n : 0, out = 0, kept = 0, more = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && buf[e] != '\n')
			e++;
		size_t l = e;
		while (l > i && (buf[l - 1] == '\r' || buf[l - 1] == ' '))
			l--;
		if (l > i && kept < ERR_LINES) {
			memmove(buf + out, buf + i, l - i);
			out += l - i;
			buf[out++] = '\n';
			kept++;
		} else if (l > i) {
			more++;
		}
		i = e + 1;
	}
	if (more)
		out += (size_t)sprintf(buf + out, "... (%zu more line%s)\n", more,
		                       more > 1 ? "s" : "");
	if (!out) {
		free(buf);
		return NULL;
	}
	buf[out - 1] = 0;
	return buf;
}

static void count_end(batch_state *s)
{
	s->done++;
	batch_progress(s);
}

/* The job's lock on its temporary, no longer needed. */
static void release(batch_job *j)
{
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	j->lock_fd = -1;
}

void batch_fail(batch_state *s, batch_job *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[8192];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (j->temp)
		batch_temp_remove(j->temp);
	release(j);
	free(j->why);
	if (!(j->why = strdup(buf)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	j->state = JOB_FAILED;
	s->failed++;
	if (s->o->verbose)
		batch_say(s, "%s: failed", batch_shown(j->in_path));
	count_end(s);
}

/* With -v, what a job that worked said on standard error. */
static void relay(batch_state *s, const batch_job *j, const char *lines)
{
	for (const char *p = lines; p && *p;) {
		size_t n = strcspn(p, "\n");
		batch_say(s, "%s: %.*s", batch_shown(j->in_path), (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void batch_finish(batch_state *s, batch_job *j, int ok, const char *status)
{
	char *lines = error_lines(j->err_fd);
	if (j->err_fd >= 0)
		close(j->err_fd);
	j->err_fd = -1;
	if (!ok) {
		const char *st = status ? status : "failed";
		if (!lines)
			batch_fail(s, j, "%s", st);
		else if (strncmp(st, "exit status", 11))
			batch_fail(s, j, "%s\n%s", lines, st);  /* killed, lost */
		else
			batch_fail(s, j, "%s", lines);
		free(lines);
		return;
	}
	struct stat old;
	mode_t mode = stat(j->out_path, &old) == 0 ? old.st_mode & 07777
	                                           : 0666 & ~s->umask;
	if (batch_temp_place(j, mode, &j->made) != 0) {
		batch_fail(s, j, "%s: %s", batch_shown(j->out_path), strerror(errno));
		free(lines);
		return;
	}
	release(j);
	j->state = JOB_MADE;
	batch_manifest_drop_old(s->m, s->o, j);
	batch_manifest_add(s->m, s->o, j);
	size_t nf = 0;
	while (j->made[nf])
		nf++;
	s->files += nf;
	if (s->o->verbose) {
		relay(s, j, lines);
		if (nf == 1)
			batch_say(s, "%s: made %s", batch_shown(j->in_path), batch_shown(j->made[0]));
		else
			batch_say(s, "%s: made %zu files, %s ... %s", batch_shown(j->in_path), nf,
			          batch_shown(j->made[0]), batch_shown(j->made[nf - 1]));
	}
	free(lines);
	count_end(s);
}

/* ---- signals ---- */

static int sigfd[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sigfd[1], &c, 1) < 0) {
		/* the pipe is full: it already says a signal came */
	}
	errno = saved;
}

void batch_signals_catch(void)
{
	if (pipe(sigfd) != 0)
		tool_die(TOOL_EXIT_FAIL, "pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(sigfd[i], F_SETFD, FD_CLOEXEC);
		fcntl(sigfd[i], F_SETFL, O_NONBLOCK);
	}
	int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction sa, old;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = sigs[i] == SIGCHLD ? SA_NOCLDSTOP : 0;
		/* a batch started with SIGINT ignored (nohup, &) keeps it so */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN &&
		    sigs[i] != SIGCHLD)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int batch_signal_fd(void)
{
	return sigfd[0];
}

int batch_signal_drain(void)
{
	unsigned char c[64];
	ssize_t n;
	int stop = 0;
	while ((n = read(sigfd[0], c, sizeof c)) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (c[i] != SIGCHLD)
				stop = c[i];
	return stop;
}

void batch_stopped(batch_state *s)
{
	size_t unfinished = 0;
	for (size_t i = 0; i < s->list->n; i++) {
		batch_job *j = &s->list->v[i];
		if (j->state == JOB_RUNNING || j->state == JOB_STOPPED) {
			if (j->temp)
				batch_temp_remove(j->temp);
			release(j);
			j->state = JOB_STOPPED;
		}
		unfinished += j->state == JOB_TODO || j->state == JOB_STOPPED;
	}
	clear_line(s);
	tool_warn("stopped (%s): %zu made, %zu failed, %zu not done (run again "
	          "to go on)", strsignal(s->stop), s->done - s->failed, s->failed,
	          unfinished);
	batch_manifest_free(s->m);
	signal(s->stop, SIG_DFL);
	raise(s->stop);
	_exit(128 + s->stop);
}

/* ---- the local pool ---- */

/* The environment of the jobs: ours without TFR_INPUT, TFR_OUTPUT and
 * TFR_NAME, which each job gets its own of (3 free slots at the end). */
static char **base_env(size_t *n)
{
	size_t c = 0;
	while (environ[c])
		c++;
	char **env = calloc(c + 4, sizeof *env);
	if (!env)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	*n = 0;
	for (size_t i = 0; i < c; i++)
		if (strncmp(environ[i], "TFR_INPUT=", 10) && strncmp(environ[i], "TFR_OUTPUT=", 11) &&
		    strncmp(environ[i], "TFR_NAME=", 9))
			env[(*n)++] = environ[i];
	return env;
}

static char *env_var(const char *name, const char *value)
{
	size_t a = strlen(name), b = strlen(value);
	char *s = malloc(a + b + 2);
	if (!s)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	memcpy(s, name, a);
	s[a] = '=';
	memcpy(s + a + 1, value, b + 1);
	return s;
}

/* An unnamed file for a job's standard error (gone when closed). */
static int error_file(void)
{
	const char *dir = getenv("TMPDIR");
	char *t = batch_join(dir && *dir ? dir : "/tmp", "tfr-batch-err.XXXXXX");
	int fd = mkstemp(t);
	if (fd >= 0) {
		unlink(t);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	free(t);
	return fd;
}

int batch_spawn(pid_t *pid, const char *path, int search, char *const argv[],
                char *const env[], int in, int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	if (err >= 0)
		posix_spawn_file_actions_adddup2(&fa, err, 2);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	int e = search ? posix_spawnp(pid, path, &fa, &at, argv, env)
	               : posix_spawn(pid, path, &fa, &at, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return e;
}

static int spawn(batch_state *s, batch_job *j, int in, int out, char **env, size_t nenv)
{
	char *vars[3] = { env_var("TFR_INPUT", j->in_path), env_var("TFR_OUTPUT", j->temp),
	                  env_var("TFR_NAME", j->in_rel) };
	for (int i = 0; i < 3; i++)
		env[nenv + (size_t)i] = vars[i];
	env[nenv + 3] = NULL;
	char *argv[] = { "sh", "-c", (char *)s->o->pipeline, NULL };
	int e = batch_spawn(&j->pid, "/bin/sh", 0, argv, env, in, out, j->err_fd);
	for (int i = 0; i < 3; i++)
		free(vars[i]);
	return e;
}

/* Start one job; 0, or -1 with the job failed. */
static int start(batch_state *s, batch_job *j, char **env, size_t nenv)
{
	int out = batch_prepare(s, j, 0);
	if (out < 0)
		return -1;
	int in = open(j->in_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (in < 0 || fstat(in, &st) != 0) {
		batch_fail(s, j, "%s", strerror(errno));
		close(out);
		return -1;
	}
	/* the stamp is the input as the job reads it */
	j->in_mtime = st.st_mtim;
	j->in_size = st.st_size;
	int e = (j->err_fd = error_file()) < 0 ? errno : spawn(s, j, in, out, env, nenv);
	close(in);
	j->lock_fd = out;  /* (closed when the job ends) */
	if (e) {
		batch_fail(s, j, "/bin/sh: %s", strerror(e));
		if (j->err_fd >= 0)
			close(j->err_fd);
		j->err_fd = -1;
		return -1;
	}
	j->state = JOB_RUNNING;
	return 0;
}

/* Collect the jobs that ended. */
static void reap(batch_state *s, batch_job **run, size_t *nrun)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (size_t i = 0; i < *nrun; i++) {
			batch_job *j = run[i];
			if (j->pid != pid)
				continue;
			run[i] = run[--*nrun];
			/* a job that finished as we stopped keeps its output */
			if (s->stop && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
				batch_temp_remove(j->temp);
				release(j);
				close(j->err_fd);
				j->err_fd = -1;
				j->state = JOB_STOPPED;
			} else {
				batch_finish(s, j, WIFEXITED(st) && WEXITSTATUS(st) == 0,
				             status_text(st));
			}
			break;
		}
	}
}

void batch_run_local(batch_state *s)
{
	size_t nenv, next = 0, nrun = 0, max = (size_t)s->o->jobs;
	char **env = base_env(&nenv);
	batch_job **run = calloc(max, sizeof *run);
	if (!run)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	int kills = 0;
	batch_progress(s);
	for (;;) {
		while (!s->stop && nrun < max && next < s->list->n) {
			batch_job *j = &s->list->v[next++];
			if (j->state == JOB_TODO && start(s, j, env, nenv) == 0)
				run[nrun++] = j;
		}
		if (!nrun && (s->stop || next >= s->list->n))
			break;
		if (!nrun)
			continue;
		struct pollfd p = { batch_signal_fd(), POLLIN, 0 };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			tool_die(TOOL_EXIT_FAIL, "poll: %s", strerror(errno));
		int sig = batch_signal_drain();
		if (sig) {
			/* the first stop asks the jobs to end, another insists */
			if (!s->stop)
				s->stop = sig;
			for (size_t i = 0; i < nrun; i++)
				kill(-run[i]->pid, kills ? SIGKILL : SIGTERM);
			kills++;
		}
		reap(s, run, &nrun);
	}
	free(run);
	free(env);
}

/* ---- the report ---- */

int batch_report(batch_state *s)
{
	clear_line(s);
	const batch_list *l = s->list;
	for (size_t i = 0; i < l->nbad_dirs; i++)
		tool_warn("%s", batch_shown(l->bad_dirs[i]));
	size_t made = 0, skipped = 0;
	for (size_t i = 0; i < l->n; i++) {
		const batch_job *j = &l->v[i];
		made += j->state == JOB_MADE;
		skipped += j->state == JOB_SKIP;
		if (j->state != JOB_FAILED)
			continue;
		for (const char *p = j->why; p && *p;) {
			size_t n = strcspn(p, "\n");
			char line[8192];
			snprintf(line, sizeof line, "%.*s", (int)n, p);
			tool_warn("%s: %s", batch_shown(j->in_path), batch_shown(line));
			p += n + (p[n] == '\n');
		}
	}
	size_t failed = s->failed + l->nbad_dirs;
	if (!s->o->quiet) {
		char folders[64] = "";
		if (l->nbad_dirs)
			snprintf(folders, sizeof folders, " (%zu unreadable folder%s)",
			         l->nbad_dirs, l->nbad_dirs > 1 ? "s" : "");
		char files[64] = "";
		if (s->files != made)
			snprintf(files, sizeof files, " (%zu output files)", s->files);
		tool_warn("%zu file%s: %zu made%s, %zu up to date, %zu failed%s", l->n,
		          l->n == 1 ? "" : "s", made, files, skipped, s->failed, folders);
	}
	return failed ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
}
