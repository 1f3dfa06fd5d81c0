/*
 * tool.h - the skeleton every tfr-* program stands on: messages and exit
 * status, one option vocabulary with one unit grammar, audio and stream
 * input, outputs that never lose a user's data. Lives once here so that
 * every tool speaks, parses and fails the same way, and a tool's main
 * reads as the pipeline it is.
 *
 * Exit status (documented in every man page): 0 success, 1 bad input,
 * I/O or library error, 2 usage error.
 */
#ifndef TFR_TOOL_H
#define TFR_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tfr.h"
#include "tfr_envelope.h"

#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FAIL 1
#define TOOL_EXIT_USAGE 2

/* ---- identity, messages ---- */

/* Name the program ("tfr-reassign") and keep its command line for the
 * history line of its output. */
void tool_init(const char *name, int argc, char **argv);
const char *tool_name(void);

/* "name: message" on stderr. */
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "name: message" on stderr, remove the outputs this run created and has
 * not finished, exit with status. */
_Noreturn void tool_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Usage error: "name: message" and a hint to --help, exit 2. */
_Noreturn void tool_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A failure explained by a diag: "name: LABEL:LINE: text", exit 1. */
_Noreturn void tool_die_diag(const char *label, const tfr_diag *d);

/* A progress line on standard error when it is a terminal and the work
 * has taken more than 2 s ("name: 12.5 s of 60.0 s, page 3"), rewritten
 * at most twice a second: done and total in seconds of input (total < 0
 * or NAN: not known), page 0 for none. Messages erase it first. */
void tool_progress(double done, double total, long long page);
/* Erase the line: the work is done. */
void tool_progress_done(void);
/* The same for the audio input's reader, which calls it for every tool
 * reading an audio file (not a pipe: in a pipeline the first tool's line
 * is the pipeline's), unless the tool calls tool_progress itself. */
void tool_progress_input(double done, double total);
/* --quiet, which every tool takes: no progress line. */
void tool_set_quiet(void);

/* Informational output (--help, --version, -P): make sure it reached
 * stdout, then exit 0 (or 1 with "name: stdout: write error: ..."). */
_Noreturn void tool_print_done(void);

/* "name (tfr) VERSION" and the FFT backend on stdout, exit 0. */
_Noreturn void tool_version(void);

/* The command line as one line ("tfr-reassign -l 2048 a.wav"), arguments
 * with blanks or quotes single-quoted, newlines made blanks. */
const char *tool_history(void);

/* ---- options: one vocabulary (options.c holds it) ---- */

/*
 * The next option of argv among names (the long names the tool takes,
 * NULL-terminated; every one must be in the vocabulary, which fixes its
 * short letter for all tools). Returns the option's long name, with its
 * argument in *arg (NULL for a flag), or NULL when the options are done;
 * --help and --version are handled here (usage prints the tool's help
 * text). Unknown options and missing arguments are usage errors: "-t
 * needs an argument", "unknown option '--bogus'".
 */
const char *tool_next_option(int argc, char **argv,
                             const char *const *names, const char **arg,
                             void (*usage)(void));

/* The operands after the options: at most one input (NULL: stdin). */
const char *tool_input_operand(int argc, char **argv);

/* Option values in the one unit grammar (tfr_units.h). Each failure is
 * a usage error naming the option and what it takes. */
double tool_parse_number(const char *opt, const char *arg, double min,
                         double max);
long long tool_parse_int(const char *opt, const char *arg, long long min,
                         long long max);
/* A time: bare numbers are samples (bare = TFR_UNIT_SAMPLES, whole
 * numbers only) or seconds (TFR_UNIT_SECONDS); ms and s always. */
tfr_quantity tool_parse_time(const char *opt, const char *arg, tfr_unit bare);
/* A frequency: Hz, k/kHz, or a fraction of the sample rate with "fs". */
tfr_quantity tool_parse_freq(const char *opt, const char *arg);
/* q in Hz at the sample rate fs: above the Nyquist frequency it is taken
 * as the Nyquist frequency, with a warning naming --opt. */
double tool_freq_hz(const char *opt, tfr_quantity q, double fs);
/* An upper limit shown or analysed, hz from q, once it is known to be
 * valid: under 20 Hz it is taken with a warning (-Y 8 is 8 Hz, not 8 kHz). */
void tool_check_ceiling(const char *opt, tfr_quantity q, double hz);
/* A level in dB (dB and dBFS allowed), -inf when allow_inf. */
double tool_parse_level(const char *opt, const char *arg, int allow_inf);
/* A window name (tfr_window_parse). */
tfr_window_spec tool_parse_window(const char *opt, const char *arg);
/* One of the words of a NULL-terminated list: its index. */
int tool_parse_choice(const char *opt, const char *arg,
                      const char *const *words);
/* Comma-separated numbers within [min, max], at most maxn: the count. */
size_t tool_parse_list(const char *opt, const char *arg, double *out,
                       size_t maxn, double min, double max);

/* A time option resolved at a sample rate: whole samples, rounded, at
 * least min and at most TFR_MAX_FFT_SIZE (usage error otherwise, naming
 * the value it resolved to). */
size_t tool_samples(const char *opt, tfr_quantity q, double rate, size_t min);

/* An FFT size given as option opt (even, at most TFR_MAX_FFT_SIZE): one
 * with a prime factor above 5 is slow (KissFFT's generic butterfly:
 * -n 8006 = 2 x 4003 took 1600 times as long as -n 8000), so it is
 * rounded up to the next even size of factors 2, 3 and 5 (as the
 * default sizes are: tfr_fft_size_for) with a note on stderr. An odd
 * size is a usage error. */
size_t tool_fft_size(const char *opt, long long n);

/* ---- input ---- */

/* "stdin" for NULL or "-", else path: the input's name in messages. */
const char *tool_input_label(const char *path);

/* 1 when the input (NULL: stdin) is a tfr stream (its first byte is
 * '#', or gzip's first: no audio container starts so), 0 for audio.
 * Standard input is probed without losing the byte: tool_audio_open and
 * tool_stream_open then read it whole. */
int tool_input_is_stream(const char *path);

/* ---- STFT analysis options (tfr-reassign, tfr-image) ---- */

/* The default analysis: a Kaiser window with 90 dB side lobes (Loris's
 * choice) whose main lobe reaches the resolution either side of a
 * sinusoid: 1581 samples at 44.1 kHz (36 ms), hop 200 (4.5 ms). Short
 * enough to follow the pitch of a voice, long enough to keep apart its
 * harmonics down to ~85 Hz. Resynthesis SNR of speech44k (f0 88-118 Hz)
 * by resolution: 90 Hz 14.7 dB, 100 Hz 15.5, 110 Hz 16.1, 120 Hz 15.9
 * (2048-sample Hann, hop 512: 10.9 dB with stored phases). */
#define TOOL_DEFAULT_RESOLUTION 110.0
#define TOOL_DEFAULT_SIDELOBES_DB 90.0

typedef struct {
	double resolution;        /* Hz (-R) */
	tfr_window_spec window;   /* -w */
	tfr_quantity length, hop; /* -l, -H, when have_ */
	long long fft_size;       /* -n, when have_fft */
	int have_resolution, have_length, have_hop, have_fft;
} tool_analysis;

void tool_analysis_default(tool_analysis *a);
/* Take opt if it is one of resolution, window, window-length, hop,
 * fft-size (returns 1), else 0. */
int tool_analysis_option(tool_analysis *a, const char *opt, const char *arg);
/* The cells of the spectrogram one sample of input makes, FFT size / 2
 * / hop, at most this: the output's ceiling per second of input
 * (tfr-reassign writes at most this many points per input sample). */
#define TOOL_MAX_CELLS_PER_SAMPLE 4096
/* Window, lengths and FFT size at rate fs into p (usage errors die). */
void tool_analysis_resolve(const tool_analysis *a, double fs,
                           tfr_reassign_params *p);

/* Open audio input; every failure is one message, exit 1 (a terminal on
 * stdin: "no input file, and standard input is a terminal"). */
tfr_audio_in *tool_audio_open(const char *path);

/* Read frames (interleaved, or one channel with read_mono: channel 0
 * mixes); 0 at the end. Truncation, bad samples and read errors die
 * with one wording for every tool; so does an input without samples. */
long tool_audio_read(tfr_audio_in *in, float *buf, size_t nframes);
long tool_audio_read_mono(tfr_audio_in *in, float *buf, size_t nframes,
                          int channel);

/* Open a tfr stream (file or stdin) and read its header, expecting the
 * schema (NULL: any stream); failures as "name: FILE:LINE: what". */
tfr_stream_reader *tool_stream_open(const char *path, const tfr_schema *expect);
/* The same on a stream already open (label names it in messages). */
tfr_stream_reader *tool_stream_open_fp(FILE *fp, const char *label,
                                       const tfr_schema *expect);
/* Audio where a stream of kind expect (NULL: any) is read, seen from
 * its first bytes head[0..n-1] (TFR_AUDIO_DETECT_HEAD suffice): "LABEL
 * is a WAV file; TOOL reads the partials of tfr-track: tfr-reassign
 * LABEL | tfr-peaks | tfr-track | TOOL", exit 1; returns when it is not
 * audio. tool_stream_open says so itself: this is for a tool that reads
 * the first bytes of its input before (tfr-convert). */
void tool_refuse_audio(const char *label, const void *head, size_t n,
                       const tfr_schema *expect);
/* Read a record / a frame; failures die with FILE:LINE. */
int tool_stream_read(tfr_stream_reader *r, void *record);
int tool_stream_read_frame(tfr_stream_reader *r, const void **records,
                           size_t *n);
/* A fault of record i of the frame tool_stream_read_frame gave: dies
 * with "FILE:LINE: what", LINE that record's. */
_Noreturn void tool_frame_error(const tfr_stream_reader *r, size_t i,
                                const char *what);
void tool_stream_close_input(tfr_stream_reader *r);
/* A number of the input stream's header that the tool needs: missing or
 * not a finite number within [min, max] dies with "FILE:LINE: header:
 * ..." (the line of the header's end). */
double tool_stream_meta(const tfr_stream_reader *r, const char *key,
                        double min, double max);
/* The same for an optional key: def when absent. */
double tool_stream_meta_or(const tfr_stream_reader *r, const char *key,
                           double min, double max, double def);
/* A partials stream's labels: when it has a "label" column, its records
 * are read with labels (tfr_labelled_partials_schema) and 1 is returned;
 * else 0, or, with why (what needs them: "--formants"), it dies with
 * "FILE:LINE: header: no 'label' column (WHY: tfr-label writes it)". */
int tool_stream_labels(tfr_stream_reader *r, const char *why);
/* This tool reads channel-split streams (a "channel" column last,
 * tfr-reassign --channels split): call before opening one. A points,
 * peaks or partials stream that is split is then read with its channel
 * (and its label, if it has one); a tool that has not called this
 * refuses one with "FILE:LINE: header: a channel-split stream ...
 * (tfr-select --channel N first)" rather than mix its channels. */
void tool_accept_split(void);
/* 1 when r's records carry their channel (a split stream), else 0. */
int tool_stream_split(const tfr_stream_reader *r);
/* The analysis window named in the header ("window"). */
tfr_window_spec tool_stream_meta_window(const tfr_stream_reader *r);

/* ---- output ---- */

typedef struct tool_output tool_output;

/*
 * Refuse (usage error) an output path that is the input (the same file,
 * through any name or link; stdin redirected from it counts): checked
 * before anything is opened or written.
 */
void tool_check_output(const char *output, const char *input);

/*
 * Open an output: NULL or "-" is standard output (binary: refused on a
 * terminal); a regular file is written under a temporary name beside it
 * and renamed into place by tool_output_close, removed on failure and on
 * SIGINT, SIGTERM, SIGHUP; a device, FIFO or socket is written directly
 * and never removed. A file that exists but may not be written is
 * refused (exit 1) and left alone.
 */
tool_output *tool_output_open(const char *path, int binary);
FILE *tool_output_file(tool_output *o);
int tool_output_fd(const tool_output *o);
/* The output's name: the path as given, or "stdout". */
const char *tool_output_label(const tool_output *o);
/* A write to o failed: die "name: OUTPUT: write error: REASON" (errno). */
_Noreturn void tool_output_failed(tool_output *o);
/* Finish: flush and close (write errors die "name: OUTPUT: write error:
 * REASON"), rename a temporary into place. */
void tool_output_close(tool_output *o);

/* Audio output on an open output, in the format given; frames: exact
 * length when known in advance (else -1). Failures die. */
tfr_audio_out *tool_audio_out(tool_output *o, double rate, int channels,
                              tfr_sample_format format, int64_t frames);
/* Write frames; a write error dies. */
void tool_audio_write(tool_output *o, tfr_audio_out *a, const float *buf,
                      size_t nframes);
/* Push what is buffered to the output now (a live pipe). */
void tool_audio_flush(tool_output *o, tfr_audio_out *a);
/* Close the audio stream and the output; says how many samples clipped. */
void tool_audio_close(tool_output *o, tfr_audio_out *a);

/*
 * A stream on an open output: meta is this tool's metadata (its own
 * keys); the input's metadata (in, NULL for none) comes first, this
 * tool's history line last. The header goes out with the first record.
 */
tfr_stream_writer *tool_stream_create(tool_output *o, const tfr_schema *s,
                                      const tfr_stream_reader *in,
                                      const tfr_meta *meta);
/* Write records (errors die). */
void tool_stream_write(tool_output *o, tfr_stream_writer *w,
                       const void *records, size_t n);
/* Trailers: the input's metadata that arrived or changed after the
 * header was written (a piped source's length), then this tool's own
 * (meta, NULL for none); then close the writer and the output. */
void tool_stream_close(tool_output *o, tfr_stream_writer *w,
                       const tfr_stream_reader *in, const tfr_meta *trailers);
/* The same for a stream made from audio: its trailer says how many
 * frames the audio had (only certain at the end: a pipe announces none),
 * then the keys of more (NULL for none). */
void tool_stream_close_frames(tool_output *o, tfr_stream_writer *w,
                              int64_t frames, const tfr_meta *more);

/* ---- hyper-resolution analysis options (tool_hyper.c) ---- */

#define TOOL_HYPER_MAXQ 8

typedef struct {
	tfr_hyper_params p;          /* over, noct, lint, rounding, threads,
	                                exact; the rest once resolved */
	double q[TOOL_HYPER_MAXQ];   /* -q (2) */
	size_t nq;
	tfr_quantity minf, maxf, tdeci;  /* -y, -Y, -i */
	int split;                   /* --channels split */
} tool_hyper;

/* The reference's config A, on every processor. */
void tool_hyper_default(tool_hyper *h);
/* Take opt if it is one of q, tdeci, over, noct, min-freq, max-freq,
 * lint, channels, rounding, jobs, exact (returns 1), else 0. */
int tool_hyper_option(tool_hyper *h, const char *opt, const char *arg);
/* Frequencies and time bin at the input's rate into h->p (usage errors
 * in Hz), and the bank's parameters; with hint, the picture reserved
 * for the input's length. */
void tool_hyper_resolve(tool_hyper *h, const tfr_audio_info *ai, int hint,
                        tfr_hyper_bank_params *bp);
/* The analysis' keys (q, tdeci, over, noct, minf, maxf in Hz, lint,
 * channels, rounding) into m. */
void tool_hyper_provenance(const tool_hyper *h, double fs, tfr_meta *m);

/* ---- maps over frequency given as options (tool_map.c) ---- */

typedef struct {
	const char *kind;     /* "delay": for messages */
	const char *arg;      /* the inline text or the file's name */
	int is_file;          /* '@file', or a name not starting like a number */
	tfr_freqmap *map;     /* after tool_map_load */
} tool_map;

/* A map option's argument. */
void tool_map_arg(tool_map *m, const char *kind, const char *arg);
/* Read it in the units of its values; a fault dies naming the map. */
void tool_map_load(tool_map *m, tfr_map_values values);
/* A fault found in a loaded map (d's position is the breakpoint's). */
_Noreturn void tool_map_fault(const tool_map *m, tfr_diag *d);

/* ---- envelopes over time given as options (tool_envelope.c) ---- */

/* A value that changes while the sound plays (tfr_envelope.h): inline
 * "T:V,T:V" or a constant "V", or the name of a file of "T V" lines,
 * told apart as a map's argument is ('@file', or a name not starting
 * like a number). */
typedef struct {
	const char *kind;     /* "pitch envelope": for messages */
	const char *arg;      /* the inline text or the file's name */
	int is_file;
	tfr_envelope *env;    /* after tool_envelope_load */
} tool_envelope;

void tool_envelope_arg(tool_envelope *e, const char *kind, const char *arg);
/* Read it, times and values in the units given; a fault dies naming it. */
void tool_envelope_load(tool_envelope *e, tfr_map_values xkind,
                        tfr_map_values ykind);
/* A fault found in a loaded envelope (d's position is the point's):
 * "FILE:LINE:COL: KIND: what", exit 1, or a usage error inline. */
_Noreturn void tool_envelope_fault(const tool_envelope *e, tfr_diag *d);
/* Every value within [min, max], else a fault naming the point
 * ("WHAT 5000 is out of range [-4800, 4800]"). */
void tool_envelope_range(const tool_envelope *e, double min, double max,
                         const char *what);

/* A metadata value made from text a user gave (a file name): newlines
 * become blanks. The result is in a static buffer. */
const char *tool_meta_text(const char *s);

/* ---- pictures and matrices (tool_picture.c) ---- */

/* The options of a picture's look and of its pages, as every tool that
 * draws takes them. */
typedef struct {
	double range;          /* -z: dB shown below the top (80) */
	int have_range;        /* -z given */
	double top;            /* -Z: dBFS at the top, when have_top (else
	                          the picture's maximum) */
	double page;           /* --page: s of input per picture, when
	                          have_page */
	double start;          /* --start: s of input before the left edge */
	double duration;       /* --duration: s shown, when have_duration */
	int have_top, have_page, have_duration;
	int bare;              /* --bare: the matrix's pixels, no axes */
	tfr_colormap map;      /* -M (inferno) */
	const char *title;     /* --title, or NULL */
} tool_picture_opts;

void tool_picture_opts_default(tool_picture_opts *po);
/* Take opt if it is one of range, top, colormap, title, bare, page,
 * start, duration (returns 1), else 0. */
int tool_picture_option(tool_picture_opts *po, const char *opt, const char *arg);

/* The audio of [--start, --start + --duration) of in: like
 * tool_audio_read, *pos counting the input's frames read so far (0 at
 * first); 0 after the span. An input that ends before --start is a
 * usage error. */
long tool_audio_read_span(tfr_audio_in *in, const tool_picture_opts *po, float *buf,
                          size_t nframes, int64_t *pos);
/* The frames of that span, -1 when the input's length is not known. */
int64_t tool_span_frames(const tool_picture_opts *po, const tfr_audio_info *ai);
/* The look into p: range, colour map, title. */
void tool_picture_look(const tool_picture_opts *po, tfr_picture_params *p);

/* key = the printf-formatted value (out of memory dies). */
void tool_meta_set(tfr_meta *m, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What a picture of audio says of its source first: sample_rate,
 * source (the input's name), source_frames (when known),
 * source_channels. */
tfr_meta *tool_audio_provenance(const char *input, const tfr_audio_info *ai);

/* The most pictures one run writes with --page (tfr-image, tfr-hyper):
 * 10000, 5.6 hours of pages of 2 s. More is refused: up front when the
 * input's length (or --duration) is known, a usage error naming --page
 * (pages: the count it would make, page: its length in s); else when
 * the page past the last allowed would be written (tool_pages_exceeded:
 * exit 1). */
#define TOOL_MAX_PAGES 10000
void tool_check_pages(double pages, double page);
_Noreturn void tool_pages_exceeded(double page);

/* NAME-0001.png for page k (from 0) of output NAME.png or NAME: four
 * digits, more when npages (-1: not known) needs them. */
void tool_page_path(const char *output, long long k, long long npages, char *buf,
                    size_t size);

/* p as a figure (bare: the matrix's pixels alone) on out, then closed;
 * failures die. */
void tool_picture_write(tool_output *out, const tfr_picture_params *p, int bare);

/* The sidecar of the .npy at path (PATH.txt: tfr_picture_sidecar_write)
 * with m, written as every output is; none for standard output. */
void tool_sidecar(const char *path, const char *input, const tfr_meta *m);

/* An output name (opt's argument) whose file name has an extension
 * other than ext ("png") is a usage error: "-o x.jpg: tfr-image writes
 * .png, not .jpg" (a name without one is taken). */
void tool_check_extension(const char *opt, const char *path, const char *ext);

/* 1 if output path is a PNG, 0 a .npy: by format ("png", "npy"), else
 * by its extension; another ("-o x.jpg: tfr-hyper writes .npy or .png,
 * not .jpg"), none, or - is a usage error. */
int tool_matrix_is_png(const char *path, const char *format);

/*
 * A time-frequency matrix made column by column: nlayers layers of rows
 * values per column, column-major (tfr_picture.h: the rows top first),
 * written to PNG pictures and .npy files (the layers' energies) and a
 * .npy of counts. With page, the pictures are pages of page columns,
 * NAME-0001.png ..., each written when its columns come (the last one
 * padded with empty columns), and the .npy files grow as the columns
 * come (their header made final at the end when the number of columns
 * is not known). Every .npy gets its sidecar (tool_sidecar): the axes
 * (tfr_picture_matrix_geometry), axes=[layer,]time,freq, values=energy
 * or counts, full_scale, then the provenance.
 */
typedef struct {
	const char *const *paths;  /* the outputs: PNG or .npy */
	size_t npaths;
	const char *format;        /* "png", "npy", or NULL: by extension */
	const char *counts;        /* a .npy of the counts, or NULL */
	const char *input;         /* the input, which no output may be */
	tfr_picture_params pic;    /* the look, the frequency axis, labels,
	                              full scale; the rest is set here */
	double t0, dt;             /* s: the time of column 0, the step */
	size_t rows, nlayers;
	size_t columns;            /* all there will be; 0: not known */
	size_t page;               /* columns per page; 0: one picture */
	int bare, transpose;       /* pictures without axes; .npy as
	                              (frequency, time) */
	const tfr_meta *text;      /* provenance of every output */
} tool_matrix_params;

typedef struct tool_matrix tool_matrix;

/* Open every output (a usage error for one that cannot be). */
tool_matrix *tool_matrix_open(const tool_matrix_params *p);
/* The next n columns of each layer, E[l] (and C[l], for the counts),
 * n x rows values: without pages all the columns in one call, with
 * pages one page (fewer for the last). Failures die. */
void tool_matrix_put(tool_matrix *m, const float *const *E, const uint32_t *const *C,
                     size_t n);
/* Every column is in: the .npy files finished, their sidecars. */
void tool_matrix_close(tool_matrix *m);

#endif /* TFR_TOOL_H */
