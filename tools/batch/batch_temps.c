/*
 * batch_temps.c - a job's temporary outputs: the one tfr-batch names
 * ($TFR_OUTPUT), the files a job makes beside it from that name (the
 * pages of tfr-image --page, "T-0001.png", a sidecar "T.txt"), putting
 * them all in place, removing them, and the stale ones a killed run left.
 *
 * A temporary's name is ".NAME.tfr-XXXXXX.EXT" (or ".tfr-batch-XXXXXX.EXT"
 * for a remote host); its stem, up to and with the six random characters,
 * is unique to one job, so every file whose name starts with it is that
 * job's. While its job runs, tfr-batch holds a lock (flock) on the
 * temporary: a file of the pattern whose stem has no locked file is
 * left from a run that was killed (SIGKILL, power loss).
 */
#include "tool.h"
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { RANDOM = 6 };

static int alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The length of a temporary's stem in name (a file name, no folder), or
 * 0 when name is not of the pattern. */
static size_t stem_length(const char *name)
{
	if (name[0] != '.')
		return 0;
	const char *t = NULL;
	if (!strncmp(name, ".tfr-batch-", 11))
		t = name + 11;
	else {
		/* the last ".tfr-" followed by six letters or digits */
		for (const char *p = strstr(name + 1, ".tfr-"); p; p = strstr(p + 1, ".tfr-")) {
			const char *r = p + 5;
			size_t k = 0;
			while (k < RANDOM && alnum(r[k]))
				k++;
			if (k == RANDOM && p > name + 1)
				t = r;
		}
	}
	if (!t || strlen(t) < RANDOM)
		return 0;
	for (size_t k = 0; k < RANDOM; k++)
		if (!alnum(t[k]))
			return 0;
	char after = t[RANDOM];
	if (after && after != '.' && after != '-')
		return 0;
	return (size_t)(t - name) + RANDOM;
}

/* path split into its folder ("." for none) and its name. */
static char *folder_of(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	char *d = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	if (!d)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	if (!*d) {  /* "/x" */
		free(d);
		if (!(d = strdup("/")))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
	}
	return d;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir that start with prefix (n bytes), sorted; NULL-ended. */
static char **names_with(const char *dir, const char *prefix, size_t n, size_t *count)
{
	DIR *d = opendir(dir);
	size_t k = 0, cap = 8;
	char **v = malloc(cap * sizeof *v);
	if (!v)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strncmp(e->d_name, prefix, n))
			continue;
		if (k + 1 >= cap && !(v = realloc(v, (cap *= 2) * sizeof *v)))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		if (!(v[k++] = strdup(e->d_name)))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
	}
	if (d)
		closedir(d);
	qsort(v, k, sizeof *v, by_name);
	v[k] = NULL;
	*count = k;
	return v;
}

static void free_names(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

int batch_temp_lock(int fd)
{
	return flock(fd, LOCK_EX | LOCK_NB);
}

void batch_temp_remove(const char *temp)
{
	const char *name;
	char *dir = folder_of(temp, &name);
	size_t stem = stem_length(name), n;
	unlink(temp);
	char **v = stem ? names_with(dir, name, stem, &n) : NULL;
	for (char **p = v; p && *p; p++) {
		char *path = batch_join(dir, *p);
		unlink(path);
		free(path);
	}
	free_names(v);
	free(dir);
}

/* The final name of an extra file: the output's path without its
 * extension, then what followed the temporary's stem and extension
 * ("T-0001.png" -> "OUT-0001.png", "T.png.txt" -> "OUT.png.txt"). */
static char *final_name(const char *out_path, const char *temp_name,
                        const char *extra)
{
	size_t tn = strlen(temp_name);
	const char *rest;
	char *f;
	if (!strncmp(extra, temp_name, tn)) {  /* the whole temporary's name */
		rest = extra + tn;
		f = malloc(strlen(out_path) + strlen(rest) + 1);
		if (f)
			strcat(strcpy(f, out_path), rest);
	} else {                               /* the stem, then "-0001.png" */
		rest = extra + stem_length(temp_name);
		const char *slash = strrchr(out_path, '/');
		const char *base = slash ? slash + 1 : out_path;
		const char *dot = strrchr(base, '.');
		size_t keep = dot && dot != base ? (size_t)(dot - out_path) : strlen(out_path);
		f = malloc(keep + strlen(rest) + 1);
		if (f) {
			memcpy(f, out_path, keep);
			strcpy(f + keep, rest);
		}
	}
	if (!f)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return f;
}

int batch_temp_place(batch_job *j, mode_t mode, char ***made)
{
	const char *name;
	char *dir = folder_of(j->temp, &name);
	size_t stem = stem_length(name), n = 0, k = 0;
	char **v = stem ? names_with(dir, name, stem, &n) : NULL;
	char **out = calloc(n + 2, sizeof *out);
	if (!out)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	int err = 0;
	for (size_t i = 0; i < n && !err; i++) {
		if (!strcmp(v[i], name))
			continue;
		char *from = batch_join(dir, v[i]);
		char *to = final_name(j->out_path, name, v[i]);
		if (chmod(from, mode) != 0 || rename(from, to) != 0)
			err = errno;
		free(from);
		out[k++] = to;
	}
	/* the temporary itself: left empty when the job wrote its files
	 * under other names (pages), it is no output */
	struct stat st;
	if (!err && k && stat(j->temp, &st) == 0 && st.st_size == 0)
		unlink(j->temp);
	else if (!err && (chmod(j->temp, mode) != 0 || rename(j->temp, j->out_path) != 0))
		err = errno;
	else if (!err) {
		memmove(out + 1, out, k * sizeof *out);
		if (!(out[0] = strdup(j->out_path)))
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		k++;
	}
	free_names(v);
	free(dir);
	if (err) {
		batch_temp_remove(j->temp);
		for (size_t i = 0; i < k; i++)
			free(out[i]);
		free(out);
		*made = NULL;
		errno = err;
		return -1;
	}
	out[k] = NULL;
	*made = out;
	return 0;
}

/* Is this stem's group (names v[0..n), sharing it) a live job's? */
static int live(const char *dir, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = batch_join(dir, v[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		free(path);
		if (fd < 0)
			continue;
		int held = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
		close(fd);  /* (a lock we took goes with it) */
		if (held)
			return 1;
	}
	return 0;
}

/* Is name, the stem's group's first file, a temporary of an output of
 * this run (".NAME.tfr-XXXXXX": folder/NAME among outs, sorted), or of
 * tfr-batch's own remote pattern? A hidden file of the user's that
 * happens to look alike, beside no output of ours, is left alone. */
static int ours(const char *folder, const char *name, size_t stem,
                char *const *outs, size_t nouts)
{
	if (!strncmp(name, ".tfr-batch-", 11))
		return 1;
	size_t nl = stem - RANDOM - 5 - 1;  /* between '.' and ".tfr-" */
	size_t fl = strlen(folder);
	char *rel = malloc(fl + nl + 2);
	if (!rel)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	size_t at = 0;
	if (fl) {
		memcpy(rel, folder, fl);
		rel[fl] = '/';
		at = fl + 1;
	}
	memcpy(rel + at, name + 1, nl);
	rel[at + nl] = 0;
	int found = bsearch(&rel, outs, nouts, sizeof *outs, by_name) != NULL;
	free(rel);
	return found;
}

size_t batch_temps_sweep(const char *outdir, const char *folder,
                         char *const *outs, size_t nouts)
{
	size_t n, removed = 0;
	char *dir = *folder ? batch_join(outdir, folder) : strdup(outdir);
	if (!dir)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	char **v = names_with(dir, ".", 1, &n);
	for (size_t i = 0; i < n;) {
		size_t stem = stem_length(v[i]), e = i + 1;
		if (!stem) {
			i++;
			continue;
		}
		while (e < n && !strncmp(v[e], v[i], stem))
			e++;
		if (ours(folder, v[i], stem, outs, nouts) && !live(dir, v + i, e - i)) {
			for (size_t k = i; k < e; k++) {
				char *path = batch_join(dir, v[k]);
				struct stat st;
				if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0)
					removed++;
				free(path);
			}
		}
		i = e;
	}
	free_names(v);
	free(dir);
	return removed;
}

size_t batch_sweep(const batch_opts *o, const batch_list *l)
{
	char **outs = malloc((l->n + 1) * sizeof *outs);
	if (!outs)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < l->n; i++)
		outs[i] = l->v[i].out_rel;
	qsort(outs, l->n, sizeof *outs, by_name);
	/* each folder once: sorted names put a folder's outputs together,
	 * though a subfolder's may come between ("a/x", "a/b/y", "a/z") */
	size_t removed = 0, nf = 0;
	char **seen = malloc((l->n + 1) * sizeof *seen);
	if (!seen)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < l->n; i++) {
		const char *slash = strrchr(outs[i], '/');
		char *folder = strndup(outs[i], slash ? (size_t)(slash - outs[i]) : 0);
		if (!folder)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		size_t k = 0;
		while (k < nf && strcmp(seen[k], folder))
			k++;
		if (k < nf) {
			free(folder);
			continue;
		}
		seen[nf++] = folder;
		removed += batch_temps_sweep(o->outdir, folder, outs, l->n);
	}
	for (size_t k = 0; k < nf; k++)
		free(seen[k]);
	free(seen);
	free(outs);
	return removed;
}
