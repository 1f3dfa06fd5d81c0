/*
 * batch_parallel.c - a batch's jobs handed to GNU parallel, to run on
 * other machines (--sshlogin) as well as this one.
 *
 * Each job is one record of eleven NUL-terminated fields on parallel's
 * standard input (names may hold any byte but NUL), run by a small
 * wrapper script that picks this machine's paths or, on a remote host,
 * the names the files have in the job's own working folder there:
 * parallel copies the input there (--transferfile), and the output and
 * the captured standard error back (--return, the part after "/./"
 * naming the file there), and removes them (--cleanup, --wd ...). The
 * wrapper's one line on standard output, "JOB STATUS", tells us a job
 * ended; then everything is as for a job run here (batch_finish): the
 * output renamed into place and stamped, or the failure kept with its
 * error lines. A job without that line never ran or never came back;
 * parallel's job log says where and how.
 */
#define _XOPEN_SOURCE 700  /* realpath */

#include "tool.h"
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- is it there ---- */

static char *on_path(const char *prog)
{
	const char *path = getenv("PATH");
	for (const char *p = path ? path : "/usr/bin:/bin"; ; ) {
		size_t n = strcspn(p, ":");
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%.*s", (int)n, n ? p : ".");
		char *f = batch_join(dir, prog);
		struct stat st;
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode) && access(f, X_OK) == 0)
			return f;
		free(f);
		if (!p[n])
			return NULL;
		p += n + 1;
	}
}

/* The first bytes "prog --version" prints. */
static void version_of(const char *prog, char *buf, size_t size)
{
	int fd[2];
	buf[0] = 0;
	if (pipe(fd) != 0)
		return;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	char *argv[] = { (char *)prog, "--version", NULL };
	pid_t pid;
	int e = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	size_t n = 0;
	ssize_t r;
	while (!e && n + 1 < size && (r = read(fd[0], buf + n, size - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	close(fd[0]);
	if (!e)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

void batch_parallel_check(const char *why)
{
	char *prog = on_path("parallel");
	if (!prog)
		tool_die(TOOL_EXIT_USAGE, "%s needs GNU parallel, which is not on PATH",
		         why);
	char v[256];
	version_of(prog, v, sizeof v);
	free(prog);
	if (strncmp(v, "GNU parallel", 12))
		tool_die(TOOL_EXIT_USAGE, "%s needs GNU parallel; the parallel on PATH "
		         "is another program (moreutils?)", why);
}

/* ---- the job list ---- */

/* Are all the sshlogins this machine (":", "4/:")? Then nothing is
 * copied anywhere, and parallel would only warn about the options. */
static int all_local(const batch_opts *o)
{
	if (!o->nsshlogins)
		return 1;
	for (size_t i = 0; i < o->nsshlogins; i++) {
		for (const char *p = o->sshlogins[i]; ; ) {
			size_t n = strcspn(p, ",");
			size_t d = strspn(p, "0123456789");
			if (d && d < n && p[d] == '/')
				p += d + 1, n -= d + 1;
			if (n != 1 || p[0] != ':')
				return 0;
			if (!p[n])
				break;
			p += n + 1;
		}
	}
	return 1;
}

static char *xrealpath(const char *path)
{
	char *r = realpath(path, NULL);
	if (!r)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", batch_shown(path), strerror(errno));
	return r;
}

/* ROOT/a/b/x, or with xfer ROOT/a/b/./x: parallel copies the part after
 * "/./" to the remote host (into the job's working folder). */
static char *path_in(const char *root, const char *rel_dir, const char *base,
                     int xfer)
{
	char *a = batch_join(root, rel_dir);
	char *b = xfer ? batch_join(a, "./") : a;
	char *c = batch_join(b, base);
	if (b != a)
		free(b);
	free(a);
	return c;
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static char *dir_of(const char *rel)
{
	const char *s = strrchr(rel, '/');
	char *d = strndup(rel, s ? (size_t)(s - rel) : 0);
	if (!d)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return d;
}

typedef struct {
	char *absin, *absout, *tmpdir;
	FILE *list;
	int local;                /* every sshlogin is this machine */
	batch_job **rec;          /* the jobs in the order of the records */
	size_t nrec;
} handoff;

static char *err_name(const handoff *h, size_t rec)
{
	char b[32];
	snprintf(b, sizeof b, "%zu.err", rec + 1);
	return batch_join(h->tmpdir, b);
}

/* One record: pipeline; input, output, error here; input, output here
 * as parallel copies them; job number, name; input, output, error
 * there (in the job's working folder). */
static void add_record(batch_state *s, handoff *h, batch_job *j)
{
	/* the name is ours (made with O_EXCL); the file is not: the job
	 * makes it here, or parallel brings it back from a host, so that
	 * its absence after the job tells that it did not come back */
	int fd = batch_prepare(s, j, !h->local);
	if (fd < 0)
		return;
	close(fd);
	unlink(j->temp);
	struct stat st;
	if (stat(j->in_path, &st) != 0) {
		batch_fail(s, j, "%s", strerror(errno));
		return;
	}
	j->in_mtime = st.st_mtim;
	j->in_size = st.st_size;
	char *ind = dir_of(j->in_rel), *outd = dir_of(j->out_rel);
	const char *in = base_of(j->in_rel), *out = base_of(j->temp);
	char num[32], err[32], in_there[PATH_MAX], out_there[PATH_MAX], err_there[40];
	snprintf(num, sizeof num, "%zu", h->nrec);
	snprintf(err, sizeof err, "%zu.err", h->nrec + 1);
	snprintf(in_there, sizeof in_there, "./%s", in);
	snprintf(out_there, sizeof out_there, "./%s", out);
	snprintf(err_there, sizeof err_there, "./%s", err);
	/* here: the names as without parallel, when every job runs here in
	 * our folder; absolute when some run in working folders of their own
	 * (--wd, which parallel applies to ':' too) */
	int rel = h->local;
	char *f[] = { (char *)s->o->pipeline,
	              rel ? strdup(j->in_path) : path_in(h->absin, ind, in, 0),
	              path_in(h->absin, ind, in, 1),
	              rel ? strdup(j->temp) : path_in(h->absout, outd, out, 0),
	              path_in(h->absout, outd, out, 1), path_in(h->tmpdir, "", err, 1),
	              num, j->in_rel, in_there, out_there, err_there };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!f[i])
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		fputs(f[i], h->list);
		fputc(0, h->list);
		if (i >= 1 && i <= 5)
			free(f[i]);
	}
	h->rec[h->nrec++] = j;
	j->state = JOB_RUNNING;
	free(ind);
	free(outd);
}

/* ---- running parallel ---- */

/* No braces (parallel's replacement strings), no single quotes, no
 * newline, no '!': it survives the shells parallel and ssh put it
 * through. Standard error goes first, so that a missing input is this
 * job's message. */
#define WRAPPER \
	"p=$1 i=$2 o=$4 e=$6 n=$7 TFR_NAME=$8; shift 8; " \
	"if [ \"$PARALLEL_SSHLOGIN\" != : ]; then i=$1 o=$2 e=$3; fi; " \
	"TFR_INPUT=$i TFR_OUTPUT=$o; export TFR_INPUT TFR_OUTPUT TFR_NAME; " \
	"sh -c \"$p\" 2>\"$e\" <\"$i\" >\"$o\"; echo \"$n $?\""

static pid_t spawn_parallel(const batch_state *s, const handoff *h, int in, int out)
{
	const batch_opts *o = s->o;
	const char **argv = calloc(48 + 2 * o->nsshlogins, sizeof *argv);
	char jobs[32], *joblog = batch_join(h->tmpdir, "joblog");
	if (!argv)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	size_t n = 0;
	const char *head[] = { "parallel", "-0", "-N", "11", "--joblog", joblog };
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		argv[n++] = head[i];
	if (o->jobs) {
		snprintf(jobs, sizeof jobs, "%ld", o->jobs);
		argv[n++] = "-j";
		argv[n++] = jobs;
	}
	for (size_t i = 0; i < o->nsshlogins; i++) {
		argv[n++] = "--sshlogin";
		argv[n++] = o->sshlogins[i];
	}
	if (!h->local) {
		const char *remote[] = { "--wd", "...", "--transferfile", "{3}", "--return",
		                         "{5}", "--return", "{6}", "--cleanup" };
		for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
			argv[n++] = remote[i];
	}
	const char *cmd[] = { "sh", "-c", "'" WRAPPER "'", "tfr-batch-job", "{1}", "{2}",
	                      "{3}", "{4}", "{5}", "{6}", "{7}", "{8}", "{9}", "{10}", "{11}" };
	for (size_t i = 0; i < sizeof cmd / sizeof cmd[0]; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;

	/* GNU parallel builds the remote command line around $SHELL; with
	 * SHELL unset (cron, CI, env -i) remote jobs silently run nothing. */
	if (!getenv("SHELL"))
		setenv("SHELL", "/bin/sh", 0);
	pid_t pid;
	int e = batch_spawn(&pid, "parallel", 1, (char *const *)argv, environ, in, out, -1);
	free(argv);
	free(joblog);
	if (e)
		tool_die(TOOL_EXIT_FAIL, "parallel: %s", strerror(e));
	return pid;
}

/* "JOB STATUS": that job ended. */
static void status_line(batch_state *s, handoff *h, const char *line)
{
	char *end;
	unsigned long long rec = strtoull(line, &end, 10);
	if (end == line || *end != ' ' || rec >= h->nrec)
		return;
	long st = strtol(end + 1, &end, 10);
	batch_job *j = h->rec[rec];
	if (j->state != JOB_RUNNING)
		return;
	char *err = err_name(h, (size_t)rec);
	j->err_fd = open(err, O_RDONLY | O_CLOEXEC);
	unlink(err);
	free(err);
	char text[48];
	snprintf(text, sizeof text, "exit status %ld", st);
	struct stat out;
	int back = lstat(j->temp, &out) == 0;
	if (s->stop && (st != 0 || !back)) {
		batch_temp_remove(j->temp);
		j->state = JOB_STOPPED;
		if (j->err_fd >= 0)
			close(j->err_fd);
		j->err_fd = -1;
		return;
	}
	if (st == 0 && !back)
		snprintf(text, sizeof text, "its output did not come back");
	batch_finish(s, j, st == 0 && back, text);
}

/* Read parallel's lines until it ends; signals stop it. */
static void follow(batch_state *s, handoff *h, pid_t pid, int fd)
{
	char buf[4096];
	size_t len = 0;
	int kills = 0;
	for (;;) {
		struct pollfd p[2] = { { batch_signal_fd(), POLLIN, 0 }, { fd, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			tool_die(TOOL_EXIT_FAIL, "poll: %s", strerror(errno));
		int sig = batch_signal_drain();
		if (sig) {
			if (!s->stop)
				s->stop = sig;
			kill(-pid, kills++ ? SIGKILL : SIGTERM);
		}
		if (!(p[1].revents & (POLLIN | POLLHUP)))
			continue;
		ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = 0;
		char *nl, *line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			status_line(s, h, line);
			line = nl + 1;
		}
		len -= (size_t)(line - buf);
		memmove(buf, line, len);
		if (len == sizeof buf - 1)
			len = 0;  /* not ours: no line is this long */
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The jobs parallel said nothing of: where and how, from its log. */
static void unreported(batch_state *s, handoff *h)
{
	char *log = batch_join(h->tmpdir, "joblog");
	FILE *f = fopen(log, "r");
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		char *fld[9] = { 0 }, *p = line;
		for (int i = 0; i < 9 && p; i++) {
			fld[i] = p;
			if ((p = strchr(p, '\t')))
				*p++ = 0;
		}
		unsigned long seq = strtoul(fld[0], NULL, 10);
		if (!fld[7] || seq < 1 || seq > h->nrec || h->rec[seq - 1]->state != JOB_RUNNING)
			continue;
		batch_fail(s, h->rec[seq - 1], "GNU parallel: no result from %s "
		           "(exit status %s, signal %s)", fld[1], fld[6], fld[7]);
	}
	free(line);
	if (f)
		fclose(f);
	unlink(log);
	free(log);
	for (size_t i = 0; i < h->nrec; i++) {
		batch_job *j = h->rec[i];
		char *err = err_name(h, i);
		unlink(err);
		free(err);
		if (j->state != JOB_RUNNING)
			continue;
		if (s->stop) {
			batch_temp_remove(j->temp);
			j->state = JOB_STOPPED;
		} else {
			batch_fail(s, j, "GNU parallel did not run it");
		}
	}
}

static char *private_folder(void)
{
	const char *t = getenv("TMPDIR");
	char *dir = batch_join(t && *t ? t : "/tmp", "tfr-batch.XXXXXX");
	if (!mkdtemp(dir))
		tool_die(TOOL_EXIT_FAIL, "%s: %s", batch_shown(dir), strerror(errno));
	char *abs = xrealpath(dir);
	free(dir);
	return abs;
}

void batch_run_parallel(batch_state *s)
{
	handoff h;
	memset(&h, 0, sizeof h);
	char *probe = batch_join(s->o->outdir, "x");
	if (batch_make_folders(probe) != 0)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", batch_shown(s->o->outdir), strerror(errno));
	free(probe);
	h.local = all_local(s->o);
	h.absin = xrealpath(s->o->indir);
	h.absout = xrealpath(s->o->outdir);
	h.tmpdir = private_folder();
	char *listname = batch_join(h.tmpdir, "jobs");
	h.list = fopen(listname, "w+");
	h.rec = calloc(s->list->n ? s->list->n : 1, sizeof *h.rec);
	if (!h.list || !h.rec)
		tool_die(TOOL_EXIT_FAIL, "%s: %s", batch_shown(listname), strerror(errno));
	unlink(listname);
	free(listname);
	batch_progress(s);
	for (size_t i = 0; i < s->list->n; i++)
		if (s->list->v[i].state == JOB_TODO)
			add_record(s, &h, &s->list->v[i]);
	if (fflush(h.list) != 0 || fseek(h.list, 0, SEEK_SET) != 0)
		tool_die(TOOL_EXIT_FAIL, "job list: %s", strerror(errno));
	if (h.nrec) {
		int fd[2];
		if (pipe(fd) != 0)
			tool_die(TOOL_EXIT_FAIL, "pipe: %s", strerror(errno));
		fcntl(fd[0], F_SETFD, FD_CLOEXEC);
		fcntl(fd[1], F_SETFD, FD_CLOEXEC);
		pid_t pid = spawn_parallel(s, &h, fileno(h.list), fd[1]);
		close(fd[1]);
		follow(s, &h, pid, fd[0]);
		close(fd[0]);
	}
	unreported(s, &h);
	fclose(h.list);
	rmdir(h.tmpdir);
	free(h.rec);
	free(h.absin);
	free(h.absout);
	free(h.tmpdir);
}
