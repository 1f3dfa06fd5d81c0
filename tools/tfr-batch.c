/*
 * tfr-batch - a pipeline over every sound file of a directory tree, in
 * parallel jobs, resumable, every file's failure kept and listed at the
 * end; on other machines through GNU parallel. See tfr-batch(1).
 *
 * The parts: batch_plan.c finds the files and names their outputs,
 * batch_stamp.c remembers what made each output, batch_run.c runs the
 * jobs here and settles each one's end, batch_parallel.c hands them to
 * GNU parallel.
 */
#include "tool.h"
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	printf(
"usage: tfr-batch [-hVvK] -u suffix [-e list] [-j n] [--force] [--dry-run]\n"
"                 [--quiet] [--parallel] [--sshlogin hosts]...\n"
"                 indir outdir pipeline\n"
"Run a shell pipeline on every sound file under indir: the file on its\n"
"standard input, its standard output saved as the same path under outdir\n"
"with the file's extension replaced by the suffix. Outputs already made\n"
"from the same input by the same pipeline are skipped.\n"
"\n"
"  -u, --suffix=SUFFIX      the outputs' suffix (.png; a dot is put before\n"
"                           a suffix that starts with a letter or digit)\n"
"  -K, --keep-ext           keep the input's extension: x.wav.png\n"
"  -e, --ext=LIST           take files with these extensions, comma list\n"
"                           (default: the sound files libsndfile reads,\n"
"                           wav,flac,aiff,ogg,...; '*': every file)\n"
"  -j, --jobs=N             jobs at once (default: the number of cores;\n"
"                           with GNU parallel: per host, its default)\n"
"      --force              run every file, up to date or not\n"
"      --dry-run            list what would run, run nothing\n"
"      --parallel           run the jobs through GNU parallel\n"
"      --sshlogin=HOSTS     ... on these hosts (GNU parallel's --sshlogin;\n"
"                           repeatable; ':' is this machine)\n"
"      --quiet              no progress line, no summary (failures still)\n"
"  -v, --verbose            say each file's fate and relay what the jobs\n"
"                           say on standard error\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"The pipeline runs as /bin/sh -c PIPELINE with TFR_INPUT, TFR_OUTPUT and\n"
"TFR_NAME in its environment (see tfr-batch(1)).\n");
}

/* What libsndfile reads, by the usual extensions of its formats. */
static const char *const audio_exts[] = {
	"wav", "wave", "bwf", "flac", "aif", "aiff", "aifc", "ogg", "oga", "opus",
	"au", "snd", "caf", "w64", "rf64", "mp3", "sd2", "voc", "ircam", "sf",
	"nist", "sph", "paf", "svx", "iff", "avr", "htk", "xi", "pvf", "wve"
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	return d;
}

static void set_exts(batch_opts *o, const char *arg)
{
	for (size_t i = 0; i < o->nexts; i++)
		free(o->exts[i]);
	free(o->exts);
	o->exts = NULL;
	o->nexts = 0;
	if (!strcmp(arg, "*"))
		return;  /* every file */
	size_t n = 1;
	for (const char *p = arg; *p; p++)
		n += *p == ',';
	if (!(o->exts = calloc(n, sizeof *o->exts)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (const char *p = arg; ; ) {
		size_t len = strcspn(p, ",");
		if (len && *p == '.')
			p++, len--;
		if (!len || memchr(p, '/', len))
			tool_usage_error("--ext: bad list '%s' (wav,flac; or '*' for every file)", arg);
		char *e = strndup(p, len);
		if (!e)
			tool_die(TOOL_EXIT_FAIL, "out of memory");
		for (char *c = e; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		o->exts[o->nexts++] = e;
		if (!p[len])
			break;
		p += len + 1;
	}
}

static void set_suffix(batch_opts *o, const char *arg)
{
	if (strchr(arg, '/'))
		tool_usage_error("--suffix: '%s' has a '/' (the outputs keep their "
		                 "inputs' folders)", arg);
	char c = arg[0];
	int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	free(o->suffix);
	o->suffix = malloc(strlen(arg) + 2);
	if (!o->suffix)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	snprintf(o->suffix, strlen(arg) + 2, "%s%s", word ? "." : "", arg);
}

/* A folder operand without its trailing slashes ("in/" is "in"). */
static char *folder(const char *arg)
{
	char *d = xstrdup(arg);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = 0;
	return d;
}

/* An option after the pipeline was most likely meant for it (tfr-batch
 * ... in out tfr-hyper -j 1): getopt would have taken it as ours. */
static void refuse_late_options(int argc, char **argv, char **given)
{
	if (argc - optind < 3)
		return;
	for (int i = 1; i < argc; i++) {
		if (given[i] != argv[optind + 2])
			continue;
		for (int k = i + 1; k < argc; k++)
			if (given[k][0] == '-' && given[k][1])
				tool_usage_error("'%s' after the pipeline '%s': quote the whole "
				                 "pipeline as one argument, after the folders",
				                 given[k], given[i]);
	}
}

static void operands(int argc, char **argv, batch_opts *o)
{
	int n = argc - optind;
	if (n > 3)
		tool_usage_error("more than one pipeline ('%s' and '%s'): quote the "
		                 "pipeline as one argument", argv[optind + 2],
		                 argv[optind + 3]);
	if (n < 3)
		tool_usage_error("%s", n == 0 ? "no input folder, output folder and pipeline"
		                       : n == 1 ? "no output folder and pipeline"
		                                : "no pipeline");
	if (!*argv[optind] || !*argv[optind + 1])
		tool_usage_error("an empty folder name");
	o->indir = folder(argv[optind]);
	o->outdir = folder(argv[optind + 1]);
	o->pipeline = argv[optind + 2];
	if (!*o->pipeline)
		tool_usage_error("an empty pipeline");
	struct stat st;
	if (stat(o->indir, &st) != 0)
		tool_die(TOOL_EXIT_USAGE, "%s: %s", batch_shown(o->indir), strerror(errno));
	if (!S_ISDIR(st.st_mode))
		tool_die(TOOL_EXIT_USAGE, "%s: not a folder", batch_shown(o->indir));
	if (stat(o->outdir, &st) == 0 && !S_ISDIR(st.st_mode))
		tool_die(TOOL_EXIT_USAGE, "%s: not a folder", batch_shown(o->outdir));
}

static void parse(int argc, char **argv, batch_opts *o)
{
	/* the order as given (getopt permutes argv) */
	char **given = malloc(((size_t)argc + 1) * sizeof *given);
	if (!given)
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	memcpy(given, argv, ((size_t)argc + 1) * sizeof *given);
	static const char *const names[] = {
		"suffix", "keep-ext", "ext", "jobs", "force", "dry-run", "parallel",
		"sshlogin", "quiet", "verbose", "help", "version", NULL
	};
	o->nsshlogins = 0;
	if (!(o->sshlogins = calloc((size_t)argc, sizeof *o->sshlogins)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	const char *opt, *arg;
	while ((opt = tool_next_option(argc, argv, names, &arg, usage))) {
		if (!strcmp(opt, "suffix"))
			set_suffix(o, arg);
		else if (!strcmp(opt, "keep-ext"))
			o->keep_ext = 1;
		else if (!strcmp(opt, "ext"))
			set_exts(o, arg);
		else if (!strcmp(opt, "jobs"))
			o->jobs = (long)tool_parse_int(opt, arg, 1, 1000);
		else if (!strcmp(opt, "force"))
			o->force = 1;
		else if (!strcmp(opt, "dry-run"))
			o->dry_run = 1;
		else if (!strcmp(opt, "parallel"))
			o->use_parallel = 1;
		else if (!strcmp(opt, "sshlogin")) {
			if (!*arg)
				tool_usage_error("--sshlogin: an empty host list");
			o->sshlogins[o->nsshlogins++] = arg;
		} else if (!strcmp(opt, "quiet"))
			o->quiet = 1;
		else if (!strcmp(opt, "verbose"))
			o->verbose = 1;
	}
	if (!o->suffix)
		tool_usage_error("no --suffix: name the outputs' suffix (-u .png)");
	if (!o->suffix[0] && !o->keep_ext)
		tool_usage_error("--suffix: an empty suffix needs -K (outputs named "
		                 "as their inputs)");
	refuse_late_options(argc, argv, given);
	free(given);
	operands(argc, argv, o);
	if (o->nsshlogins)
		batch_parallel_check("--sshlogin");
	else if (o->use_parallel)
		batch_parallel_check("--parallel");
	o->use_parallel |= o->nsshlogins > 0;
	if (!o->jobs && !o->use_parallel) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o->jobs = n > 0 ? n : 1;
	}
	o->stamp = batch_stamp_of(o->pipeline);
}

static void default_exts(batch_opts *o)
{
	size_t n = sizeof audio_exts / sizeof audio_exts[0];
	if (!(o->exts = calloc(n, sizeof *o->exts)))
		tool_die(TOOL_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < n; i++)
		o->exts[i] = xstrdup(audio_exts[i]);
	o->nexts = n;
}

/* The jobs' standard input, output and error are their files; ours must
 * be open, so that no file of ours lands on fd 0, 1 or 2. */
static void standard_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			tool_die(TOOL_EXIT_FAIL, "/dev/null: %s", strerror(errno));
}

/* --dry-run: "INPUT -> OUTPUT" for each job that would run (with -v also
 * "INPUT: up to date"). */
static int dry_run(batch_state *s)
{
	const batch_list *l = s->list;
	size_t todo = 0;
	for (size_t i = 0; i < l->n; i++) {
		const batch_job *j = &l->v[i];
		if (j->state == JOB_TODO) {
			printf("%s -> %s\n", batch_shown(j->in_path), batch_shown(j->out_path));
			todo++;
		} else if (s->o->verbose) {
			printf("%s: up to date\n", batch_shown(j->in_path));
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		tool_die(TOOL_EXIT_FAIL, "stdout: write error: %s", strerror(errno));
	for (size_t i = 0; i < l->nbad_dirs; i++)
		tool_warn("%s", batch_shown(l->bad_dirs[i]));
	if (!s->o->quiet)
		tool_warn("%zu file%s: %zu to make, %zu up to date", l->n,
		          l->n == 1 ? "" : "s", todo, l->n - todo);
	return l->nbad_dirs ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
}

static void free_opts(batch_opts *o)
{
	for (size_t i = 0; i < o->nexts; i++)
		free(o->exts[i]);
	free(o->exts);
	free(o->indir);
	free(o->outdir);
	free(o->suffix);
	free(o->sshlogins);
}

int main(int argc, char **argv)
{
	batch_opts o;
	memset(&o, 0, sizeof o);
	tool_init("tfr-batch", argc, argv);
	standard_fds();
	default_exts(&o);
	parse(argc, argv, &o);

	batch_manifest *m = batch_manifest_load(o.outdir);
	batch_list list;
	memset(&list, 0, sizeof list);
	batch_plan(&o, &list, m);
	batch_plan_todo(&o, &list, m);

	batch_state s;
	batch_state_init(&s, &o, &list, m);
	int status;
	if (o.dry_run) {
		status = dry_run(&s);
	} else {
		for (size_t i = 0; o.verbose && i < list.n; i++)
			if (list.v[i].state == JOB_SKIP)
				batch_say(&s, "%s: up to date", batch_shown(list.v[i].in_path));
		/* what a run killed outright (SIGKILL, power loss) left */
		size_t stale = batch_sweep(&o, &list);
		if (stale && o.verbose)
			batch_say(&s, "removed %zu temporar%s left by a killed run", stale,
			          stale == 1 ? "y" : "ies");
		batch_signals_catch();
		if (o.use_parallel)
			batch_run_parallel(&s);
		else
			batch_run_local(&s);
		if (s.stop)
			batch_stopped(&s);
		batch_manifest_finish(m, &o, &list);
		status = batch_report(&s);
	}
	batch_manifest_free(m);
	batch_list_free(&list);
	free_opts(&o);
	return status;
}
