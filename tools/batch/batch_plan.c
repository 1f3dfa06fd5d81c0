/*
 * batch_plan.c - the files of a batch and the names of their outputs.
 *
 * The tree is walked in sorted order (byte order, whatever the locale),
 * so that two runs over the same files run them in the same order and
 * print the same lists. An output keeps its input's folders under OUTDIR
 * exactly; only the file name changes, and only its last extension: a
 * dotted folder (2024.05.01) or a file without an extension stays where
 * it is. Everything that could make two inputs one output, or an output
 * replace an input, is refused before anything runs.
 */
#include "tool.h"
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n ? n : 1)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return d;
}

/* ---- the walk ---- */

typedef struct {
	dev_t dev;
	ino_t ino;
} file_id;

typedef struct {
	const batch_opts *o;
	batch_list *list;
	file_id out;              /* OUTDIR, when it exists */
	int have_out;
	file_id *up;              /* the folders above: a link loop */
	size_t nup, capup;
} walker;

/* The extension of a file name: after its last dot, unless that dot
 * starts the name (".hidden" has none). */
static const char *extension(const char *base)
{
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? dot + 1 : NULL;
}

static int wanted(const batch_opts *o, const char *base)
{
	if (!o->exts)
		return 1;
	const char *ext = extension(base);
	if (!ext)
		return 0;
	for (size_t i = 0; i < o->nexts; i++) {
		const char *a = ext, *b = o->exts[i];
		while (*a && *b && (*a >= 'A' && *a <= 'Z' ? *a + 32 : *a) == *b) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return 1;
	}
	return 0;
}

/* OUTDIR/a/b/x.png for INDIR/a/b/x.wav: the last extension of the file
 * name replaced by the suffix (kept with -K; none: the suffix added). */
static char *output_name(const batch_opts *o, const char *in_rel)
{
	const char *slash = strrchr(in_rel, '/');
	const char *base = slash ? slash + 1 : in_rel;
	const char *ext = o->keep_ext ? NULL : extension(base);
	size_t stem = ext ? (size_t)(ext - 1 - in_rel) : strlen(in_rel);
	size_t ls = strlen(o->suffix);
	char *p = xrealloc(NULL, stem + ls + 1);
	memcpy(p, in_rel, stem);
	memcpy(p + stem, o->suffix, ls + 1);
	return p;
}

static void add_job(walker *w, const char *rel, const struct stat *st)
{
	batch_list *l = w->list;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	batch_job *j = &l->v[l->n++];
	memset(j, 0, sizeof *j);
	j->in_rel = xstrdup(rel);
	j->out_rel = output_name(w->o, rel);
	j->in_path = batch_join(w->o->indir, rel);
	j->out_path = batch_join(w->o->outdir, j->out_rel);
	j->in_mtime = st->st_mtim;
	j->in_size = st->st_size;
	j->err_fd = -1;
	j->lock_fd = -1;
	j->state = JOB_TODO;
}

static void add_bad_dir(batch_list *l, const char *path, int err)
{
	l->bad_dirs = xrealloc(l->bad_dirs, (l->nbad_dirs + 1) * sizeof *l->bad_dirs);
	size_t n = strlen(path) + strlen(strerror(err)) + 3;
	char *s = xrealloc(NULL, n);
	snprintf(s, n, "%s: %s", path, strerror(err));
	l->bad_dirs[l->nbad_dirs++] = s;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a folder, sorted, without "." and ".." and hidden ones
 * (.DS_Store, ._x.wav, .git, our own temporaries and manifest). */
static char **read_names(DIR *d, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[(*n)++] = xstrdup(e->d_name);
	}
	if (*n)
		qsort(v, *n, sizeof *v, cmp_names);
	return v;
}

static void walk_dir(walker *w, const char *rel);

static int is_above(const walker *w, const struct stat *st)
{
	for (size_t i = 0; i < w->nup; i++)
		if (w->up[i].dev == st->st_dev && w->up[i].ino == st->st_ino)
			return 1;
	return 0;
}

static void visit_dir(walker *w, const char *rel, const char *full,
                      const struct stat *st)
{
	if (w->have_out && st->st_dev == w->out.dev && st->st_ino == w->out.ino)
		return;  /* OUTDIR inside INDIR: outputs are not inputs */
	if (is_above(w, st)) {
		if (!w->o->quiet)
			tool_warn("%s: a link to a folder above it, left out", batch_shown(full));
		return;
	}
	if (w->nup == w->capup) {
		w->capup = w->capup ? 2 * w->capup : 16;
		w->up = xrealloc(w->up, w->capup * sizeof *w->up);
	}
	w->up[w->nup++] = (file_id){ st->st_dev, st->st_ino };
	walk_dir(w, rel);
	w->nup--;
}

static void visit(walker *w, const char *rel, const char *name)
{
	char *crel = rel ? batch_join(rel, name) : xstrdup(name);
	char *full = batch_join(w->o->indir, crel);
	struct stat st;
	if (stat(full, &st) != 0) {
		/* a link to nothing, or a file gone since the folder was read */
		if (!w->o->quiet)
			tool_warn("%s: %s, left out", batch_shown(full), strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		visit_dir(w, crel, full, &st);
	} else if (S_ISREG(st.st_mode) && wanted(w->o, name)) {
		add_job(w, crel, &st);
	}
	free(full);
	free(crel);
}

static void walk_dir(walker *w, const char *rel)
{
	char *path = rel ? batch_join(w->o->indir, rel) : xstrdup(w->o->indir);
	DIR *d = opendir(path);
	if (!d) {
		add_bad_dir(w->list, path, errno);
		free(path);
		return;
	}
	size_t n;
	char **names = read_names(d, &n);
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		visit(w, rel, names[i]);
		free(names[i]);
	}
	free(names);
	free(path);
}

/* ---- the checks ---- */

static const batch_list *sorting;

static int cmp_outputs(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	int c = strcmp(sorting->v[i].out_rel, sorting->v[k].out_rel);
	return c ? c : (i > k) - (i < k);
}

/* Two inputs, one output (x.wav and x.flac -> x.png): refused, naming
 * every pair, before anything runs. */
static void refuse_collisions(const batch_opts *o, const batch_list *l)
{
	if (l->n < 2)
		return;
	size_t *idx = xrealloc(NULL, l->n * sizeof *idx);
	for (size_t i = 0; i < l->n; i++)
		idx[i] = i;
	sorting = l;
	qsort(idx, l->n, sizeof *idx, cmp_outputs);
	size_t clashes = 0;
	for (size_t i = 1; i < l->n; i++) {
		const batch_job *a = &l->v[idx[i - 1]], *b = &l->v[idx[i]];
		if (strcmp(a->out_rel, b->out_rel))
			continue;
		tool_warn("%s and %s would both make %s", batch_shown(a->in_path),
		          batch_shown(b->in_path), batch_shown(a->out_path));
		clashes++;
	}
	free(idx);
	if (clashes)
		tool_die(TOOL_EXIT_USAGE, "nothing was run: with -K (--keep-ext) the "
		         "outputs keep their inputs' extensions (x.wav%s, x.flac%s)",
		         o->suffix, o->suffix);
}

typedef struct {
	file_id id;
	size_t job;
} input_id;

static int cmp_ids(const void *a, const void *b)
{
	const input_id *x = a, *y = b;
	if (x->id.dev != y->id.dev)
		return x->id.dev < y->id.dev ? -1 : 1;
	if (x->id.ino != y->id.ino)
		return x->id.ino < y->id.ino ? -1 : 1;
	return (x->job > y->job) - (x->job < y->job);
}

/* The inputs that are the file st: ids[*lo .. return value). */
static size_t same_file(const input_id *ids, size_t n, const struct stat *st,
                        size_t *lo)
{
	input_id key = { { st->st_dev, st->st_ino }, 0 };
	size_t a = 0, b = n;
	while (a < b) {
		size_t mid = (a + b) / 2;
		if (cmp_ids(&ids[mid], &key) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (b < n && ids[b].id.dev == key.id.dev && ids[b].id.ino == key.id.ino)
		b++;
	return b;
}

/*
 * Outputs that are already there and are inputs too. One that the
 * manifest says a batch made (outputs beside their inputs with an audio
 * suffix: x.resynth.wav on the second run) is no input; any other would
 * have a user's file replaced, and nothing runs.
 */
static void refuse_overlaps(const batch_list *l, const batch_manifest *m,
                            char *drop)
{
	input_id *ids = xrealloc(NULL, l->n * sizeof *ids);
	size_t n = 0, bad = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct stat st;
		if (stat(l->v[i].in_path, &st) == 0)
			ids[n++] = (input_id){ { st.st_dev, st.st_ino }, i };
	}
	qsort(ids, n, sizeof *ids, cmp_ids);
	struct stat *outs = xrealloc(NULL, l->n * sizeof *outs);
	char *there = calloc(l->n ? l->n : 1, 1);
	if (!there)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < l->n; i++) {
		there[i] = stat(l->v[i].out_path, &outs[i]) == 0;
		size_t k, end = there[i] ? same_file(ids, n, &outs[i], &k) : 0;
		for (; there[i] && k < end; k++)
			if (ids[k].job != i && batch_manifest_has(m, l->v[i].out_rel))
				drop[ids[k].job] = 1;
	}
	for (size_t i = 0; i < l->n; i++) {
		const batch_job *j = &l->v[i];
		size_t k, end = there[i] && !drop[i] ? same_file(ids, n, &outs[i], &k) : 0;
		for (; end && k < end; k++) {
			if (drop[ids[k].job])
				continue;
			if (ids[k].job == i)
				tool_warn("%s: the output would replace its own input",
				          batch_shown(j->in_path));
			else
				tool_warn("%s, the output of %s, is an input too",
				          batch_shown(j->out_path), batch_shown(j->in_path));
			bad++;
		}
	}
	free(there);
	free(outs);
	free(ids);
	if (bad)
		tool_die(TOOL_EXIT_USAGE, "nothing was run: choose another output "
		         "folder or suffix");
}

static void free_job(batch_job *j)
{
	free(j->in_rel);
	free(j->out_rel);
	free(j->in_path);
	free(j->out_path);
	free(j->temp);
	free(j->why);
	for (char **f = j->made; f && *f; f++)
		free(*f);
	free(j->made);
	if (j->lock_fd >= 0)
		close(j->lock_fd);
}

void batch_plan(const batch_opts *o, batch_list *list, batch_manifest *m)
{
	walker w;
	memset(&w, 0, sizeof w);
	w.o = o;
	w.list = list;
	struct stat st;
	if (stat(o->outdir, &st) == 0) {
		w.out = (file_id){ st.st_dev, st.st_ino };
		w.have_out = 1;
	}
	if (stat(o->indir, &st) == 0) {
		w.up = xrealloc(NULL, 16 * sizeof *w.up);
		w.capup = 16;
		w.up[w.nup++] = (file_id){ st.st_dev, st.st_ino };
	}
	walk_dir(&w, NULL);
	free(w.up);

	char *drop = calloc(list->n ? list->n : 1, 1);
	if (!drop)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	refuse_overlaps(list, m, drop);
	size_t k = 0;
	for (size_t i = 0; i < list->n; i++) {
		if (drop[i])
			free_job(&list->v[i]);
		else
			list->v[k++] = list->v[i];
	}
	list->n = k;
	free(drop);
	refuse_collisions(o, list);
}

void batch_plan_todo(const batch_opts *o, batch_list *list,
                     const batch_manifest *m)
{
	for (size_t i = 0; i < list->n; i++) {
		batch_job *j = &list->v[i];
		struct stat in;
		j->state = JOB_TODO;
		if (o->force || stat(j->in_path, &in) != 0)
			continue;
		if (batch_manifest_current(m, o, j, &in))
			j->state = JOB_SKIP;
	}
}

void batch_list_free(batch_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free_job(&list->v[i]);
	free(list->v);
	for (size_t i = 0; i < list->nbad_dirs; i++)
		free(list->bad_dirs[i]);
	free(list->bad_dirs);
}
