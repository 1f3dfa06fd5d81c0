/*
 * assign.h - maximum-weight assignment between two small sets (private
 * to libtfr): the exact solver tfr_track uses on each cluster of
 * competing partials and peaks.
 */
#ifndef TFR_ASSIGN_H
#define TFR_ASSIGN_H

/* Largest side solved exactly; the work is O(n^3) in the larger side. */
#define TFR_ASSIGN_MAX 48

/* Scratch of the solver, no allocation of its own (embed it). */
typedef struct {
	double u[TFR_ASSIGN_MAX + 1], v[TFR_ASSIGN_MAX + 1];
	double minv[TFR_ASSIGN_MAX + 1];
	int p[TFR_ASSIGN_MAX + 1], way[TFR_ASSIGN_MAX + 1];
	unsigned char used[TFR_ASSIGN_MAX + 1];
	double cost[TFR_ASSIGN_MAX * TFR_ASSIGN_MAX];
} tfr_assign_work;

/*
 * The matching of rows to columns of the nr x nc weights w (row-major,
 * w >= 0; 0 means the pair may not be matched) whose total weight is
 * largest: row_col[r] is the column matched to row r, or -1. nr and nc
 * are 1..TFR_ASSIGN_MAX. Exact (Kuhn-Munkres), deterministic.
 */
void tfr_assign_max_weight(tfr_assign_work *ws, const double *w, int nr,
                           int nc, int *row_col);

#endif
