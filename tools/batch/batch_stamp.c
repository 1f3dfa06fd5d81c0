/*
 * batch_stamp.c - what made each output of a batch, so that a rerun
 * skips what is done and redoes what another pipeline would make.
 *
 * OUTDIR/.tfr-batch has one line per output: a hash of the pipeline, the
 * input's size and modification time (to the nanosecond) when the job
 * began, the output's and the input's names under OUTDIR and INDIR, and
 * when the job made other files than its output (the pages of tfr-image
 * --page), their names under OUTDIR. An output is up to date when its
 * line has this run's hash and input, the input still has that size and
 * time, and its files are there and not older than the input. Recording the input's time, not only comparing it with the
 * output's, also catches an input replaced by an older file (a restored
 * backup) and one changed while its job ran.
 *
 * Only tfr-batch itself writes the file, one line per finished job,
 * appended at once (a killed run keeps what it finished; a later line
 * wins), and rewritten compactly at the end of a run. Its loss costs
 * work (everything is redone), never a wrong skip.
 */
#include "tool.h"
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MANIFEST ".tfr-batch"
#define MANIFEST_HEAD "# tfr-batch 1: pipeline hash, input size and time, output, input\n"

typedef struct {
	char *out_rel, *in_rel;
	char **files;             /* the files made, NULL-ended; NULL: out_rel */
	uint64_t stamp;
	long long size, sec, nsec;
	size_t seq;               /* line number: the later line wins */
} entry;

struct batch_manifest {
	char *path;
	entry *v;                 /* sorted by output name, one each */
	size_t n;
	int fd;                   /* appending, once opened */
	int warned;
};

uint64_t batch_stamp_of(const char *pipeline)
{
	/* FNV-1a: the stamp tells pipelines apart, it guards no secret */
	uint64_t h = 14695981039346656037u;
	const char *parts[] = { "tfr-batch 1\n", pipeline };
	for (size_t i = 0; i < 2; i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 1099511628211u;
	return h;
}

/* Names with tabs, newlines and backslashes kept on one field. */
static void put_name(char **p, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '\t' || *s == '\n') {
			*(*p)++ = '\\';
			*(*p)++ = *s == '\t' ? 't' : *s == '\n' ? 'n' : '\\';
		} else {
			*(*p)++ = *s;
		}
	}
}

/* Undo put_name in place, up to the next tab or the end; the next field. */
static char *get_name(char *s, char **next)
{
	char *w = s, *r = s;
	for (; *r && *r != '\t' && *r != '\n'; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*next = *r == '\t' ? r + 1 : NULL;
	*w = 0;
	return s;
}

static int parse_line(char *line, entry *e)
{
	char *p = line, *end;
	errno = 0;
	e->stamp = strtoull(p, &end, 16);
	if (end != p + 16 || *end != '\t')
		return 0;
	e->size = strtoll(p = end + 1, &end, 10);
	if (end == p || *end != '\t')
		return 0;
	e->sec = strtoll(p = end + 1, &end, 10);
	if (end == p || *end != '.')
		return 0;
	e->nsec = strtoll(p = end + 1, &end, 10);
	if (end == p || *end != '\t' || errno)
		return 0;
	char *next;
	char *out = get_name(end + 1, &next);
	if (!next || !*out)
		return 0;
	char *in = get_name(next, &next);
	if (!*in || !(e->out_rel = strdup(out)) || !(e->in_rel = strdup(in)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	size_t n = 0;
	while (next) {
		char *f = get_name(next, &next);
		if (!*f)
			continue;
		char **v = realloc(e->files, (n + 2) * sizeof *v);
		if (!v || !(v[n] = strdup(f)))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		v[++n] = NULL;
		e->files = v;
	}
	return 1;
}

static void free_entry(entry *e)
{
	free(e->out_rel);
	free(e->in_rel);
	for (char **f = e->files; f && *f; f++)
		free(*f);
	free(e->files);
}

static int cmp_entries(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(x->out_rel, y->out_rel);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort by name and keep the last line of each name. */
static void settle(batch_manifest *m)
{
	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, cmp_entries);
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (i + 1 < m->n && !strcmp(m->v[i].out_rel, m->v[i + 1].out_rel)) {
			free_entry(&m->v[i]);
		} else {
			m->v[k++] = m->v[i];
		}
	}
	m->n = k;
}

batch_manifest *batch_manifest_load(const char *outdir)
{
	batch_manifest *m = calloc(1, sizeof *m);
	if (!m)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	m->path = batch_join(outdir, MANIFEST);
	m->fd = -1;
	FILE *f = fopen(m->path, "r");
	if (!f)
		return m;
	char *line = NULL;
	size_t cap = 0, ecap = 0, seq = 0;
	while (getline(&line, &cap, f) > 0) {
		entry e = { .seq = seq++ };
		if (line[0] == '#' || !parse_line(line, &e))
			continue;  /* a damaged line: that output is redone */
		if (m->n == ecap) {
			ecap = ecap ? 2 * ecap : 64;
			entry *v = realloc(m->v, ecap * sizeof *v);
			if (!v)
				tool_die(TOOL_EXIT_FAIL, "out of memory");
			m->v = v;
		}
		m->v[m->n++] = e;
	}
	free(line);
	fclose(f);
	settle(m);
	return m;
}

static const entry *find(const batch_manifest *m, const char *out_rel)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->v[mid].out_rel, out_rel);
		if (!c)
			return &m->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int batch_manifest_has(const batch_manifest *m, const char *out_rel)
{
	return find(m, out_rel) != NULL;
}

static int ts_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* Is the file rel under OUTDIR there, and not older than in? */
static int there(const batch_opts *o, const char *rel, const struct stat *in)
{
	char *p = batch_join(o->outdir, rel);
	struct stat out;
	int ok = stat(p, &out) == 0 && !ts_before(out.st_mtim, in->st_mtim);
	free(p);
	return ok;
}

int batch_manifest_current(const batch_manifest *m, const batch_opts *o,
                           const batch_job *j, const struct stat *in)
{
	const entry *e = find(m, j->out_rel);
	if (!(e && e->stamp == o->stamp && !strcmp(e->in_rel, j->in_rel) &&
	      e->size == (long long)in->st_size &&
	      e->sec == (long long)in->st_mtim.tv_sec &&
	      e->nsec == (long long)in->st_mtim.tv_nsec))
		return 0;
	if (!e->files)
		return there(o, e->out_rel, in);
	for (char **f = e->files; *f; f++)
		if (!there(o, *f, in))
			return 0;
	return 1;
}

/* The name of a path under OUTDIR. */
static const char *rel_of(const batch_opts *o, const char *path)
{
	size_t n = strlen(o->outdir);
	return !strncmp(path, o->outdir, n) && path[n] == '/' ? path + n + 1 : path;
}

void batch_manifest_drop_old(const batch_manifest *m, const batch_opts *o,
                             const batch_job *j)
{
	const entry *e = find(m, j->out_rel);
	if (!e)
		return;
	char *single[] = { e->out_rel, NULL };
	for (char **f = e->files ? e->files : single; *f; f++) {
		int kept = 0;
		for (char **g = j->made; g && *g && !kept; g++)
			kept = !strcmp(rel_of(o, *g), *f);
		if (kept)
			continue;
		char *p = batch_join(o->outdir, *f);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
			unlink(p);
		free(p);
	}
}

/* One line; the caller frees it. */
static char *format_line(uint64_t stamp, long long size, struct timespec t,
                         const char *out_rel, const char *in_rel,
                         const batch_opts *o, char *const *files, int paths)
{
	/* the files (paths, or names under OUTDIR), unless the output alone */
#define REL(f) (paths ? rel_of(o, (f)) : (f))
	if (files && files[0] && !files[1] && !strcmp(REL(files[0]), out_rel))
		files = NULL;
	size_t n = 2 * (strlen(out_rel) + strlen(in_rel)) + 96;
	for (char *const *f = files; f && *f; f++)
		n += 2 * strlen(*f) + 1;
	char *s = malloc(n);
	if (!s)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	char *p = s + sprintf(s, "%016" PRIx64 "\t%lld\t%lld.%09ld\t", stamp, size,
	                      (long long)t.tv_sec, (long)t.tv_nsec);
	put_name(&p, out_rel);
	*p++ = '\t';
	put_name(&p, in_rel);
	for (char *const *f = files; f && *f; f++) {
		*p++ = '\t';
		put_name(&p, REL(*f));
	}
#undef REL
	*p++ = '\n';
	*p = 0;
	return s;
}

static int write_all(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void lost(batch_manifest *m)
{
	if (!m->warned)
		tool_warn("%s: %s (a rerun will redo these outputs)", batch_shown(m->path),
		          strerror(errno));
	m->warned = 1;
}

void batch_manifest_add(batch_manifest *m, const batch_opts *o,
                        const batch_job *j)
{
	if (m->fd < 0) {
		m->fd = open(m->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		struct stat st;
		if (m->fd < 0 || fstat(m->fd, &st) != 0 ||
		    (st.st_size == 0 && write_all(m->fd, MANIFEST_HEAD) != 0)) {
			lost(m);
			return;
		}
	}
	char *line = format_line(o->stamp, (long long)j->in_size, j->in_mtime,
	                         j->out_rel, j->in_rel, o, j->made, 1);
	/* one write: lines of concurrent runs do not interleave */
	if (write_all(m->fd, line) != 0)
		lost(m);
	free(line);
}

static const batch_list *sorting;

static int cmp_jobs(const void *a, const void *b)
{
	return strcmp(sorting->v[*(const size_t *)a].out_rel,
	              sorting->v[*(const size_t *)b].out_rel);
}

/* This run's job for an output, or NULL (idx: the jobs by output). */
static const batch_job *job_of(const batch_list *l, const size_t *idx,
                               const char *out_rel)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(l->v[idx[mid]].out_rel, out_rel);
		if (!c)
			return &l->v[idx[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The lines of the manifest after this run, in one string. */
static char *compact(const batch_manifest *m, const batch_opts *o,
                     const batch_list *l, size_t *nlines)
{
	size_t *idx = malloc((l->n ? l->n : 1) * sizeof *idx);
	size_t cap = 1024, len = 0;
	char *all = malloc(cap);
	if (!idx || !all)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	all[0] = 0;  /* no line left: an empty string, not uninitialised */
	for (size_t i = 0; i < l->n; i++)
		idx[i] = i;
	sorting = l;
	qsort(idx, l->n, sizeof *idx, cmp_jobs);
	*nlines = 0;
	for (size_t i = 0; i < m->n + l->n; i++) {
		char *line = NULL;
		if (i < m->n) {
			/* an older line: this run's jobs made or skipped their
			 * outputs, or failed; others stay while the file does */
			const entry *e = &m->v[i];
			const batch_job *j = job_of(l, idx, e->out_rel);
			struct stat st;
			if (j) {
				if (j->state != JOB_SKIP)
					continue;
			} else {
				char *p = batch_join(o->outdir, e->files ? e->files[0] : e->out_rel);
				int there = stat(p, &st) == 0;
				free(p);
				if (!there)
					continue;
			}
			line = format_line(e->stamp, e->size,
			                   (struct timespec){ e->sec, e->nsec },
			                   e->out_rel, e->in_rel, o, e->files, 0);
		} else {
			const batch_job *j = &l->v[i - m->n];
			if (j->state != JOB_MADE)
				continue;
			line = format_line(o->stamp, (long long)j->in_size, j->in_mtime,
			                   j->out_rel, j->in_rel, o, j->made, 1);
		}
		size_t n = strlen(line);
		if (len + n + 1 > cap) {
			while (len + n + 1 > cap)
				cap *= 2;
			if (!(all = realloc(all, cap)))
				tool_die(TOOL_EXIT_FAIL, "out of memory");
		}
		memcpy(all + len, line, n + 1);
		len += n;
		free(line);
		++*nlines;
	}
	free(idx);
	return all;
}

void batch_manifest_finish(batch_manifest *m, const batch_opts *o,
                           const batch_list *list)
{
	struct stat st;
	if (o->dry_run || stat(o->outdir, &st) != 0)
		return;
	size_t n;
	char *lines = compact(m, o, list, &n);
	/* unchanged: nothing appended, no line dropped */
	if (m->fd < 0 && n == m->n) {
		free(lines);
		return;
	}
	char *tmp = batch_join(o->outdir, MANIFEST ".XXXXXX");
	mode_t mask = umask(0);
	umask(mask);
	int fd = mkstemp(tmp), bad = fd < 0;
	if (!bad) {
		bad = write_all(fd, MANIFEST_HEAD) != 0 || write_all(fd, lines) != 0 ||
		      fchmod(fd, 0666 & ~mask) != 0;
		bad |= close(fd) != 0;
		bad = bad || rename(tmp, m->path) != 0;
		if (bad)
			unlink(tmp);
	}
	if (bad)
		lost(m);
	free(tmp);
	free(lines);
}

void batch_manifest_free(batch_manifest *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	for (size_t i = 0; i < m->n; i++)
		free_entry(&m->v[i]);
	free(m->v);
	free(m->path);
	free(m);
}
