# partials-figures.awk - figures of a tfr partials stream (tfr(5)), for
# the tests and scripts/bench-partials; POSIX awk (mawk, gawk).
#   awk -f scripts/partials-figures.awk FILE
# prints one line:
#   partials=N breakpoints=N
#   drift=RAD p95=RAD max=RAD  the amplitude-weighted median (and 95th
#                  percentile, and largest) of |wrap(PHI - phase)| over
#                  the breakpoints after each partial's first, PHI its
#                  frequency integrated by the trapezoid rule from its
#                  first breakpoint's phase: what a free-running
#                  synthesiser (Loris, SPEAR, Csound) meets
#   negative=N     breakpoints before time 0
#   min_spacing=S  the least time between two breakpoints of a partial
#   last=S source_end=S  the latest breakpoint; the source's end (-1 if
#                  the stream does not say)
BEGIN { FS = "[ \t]+"; pi = 3.14159265358979; n = 0; neg = 0; minsp = 1e9 }
/^#/ {
	if ($0 ~ /^# source_frames=/) { split($0, kv, "="); src = kv[2] }
	if ($0 ~ /^# sample_rate=/) { split($0, kv, "="); sr = kv[2] }
	next
}
{
	p = $1; t = $2 + 0; f = $3 + 0; a = $4 + 0; ph = $5 + 0
	if (t < 0) neg++
	if (nb == 0 || t > maxt) maxt = t
	if (p in lt) {
		dt = t - lt[p]
		if (dt < minsp) minsp = dt
		P[p] += pi * (lf[p] + f) * dt
		d = P[p] - ph
		d -= 2 * pi * int(d / (2 * pi) + (d < 0 ? -0.5 : 0.5))
		if (d < 0) d = -d
		if (d > dmax) dmax = d
		# weights in buckets of 1e-4 rad, for the weighted quantiles
		b = int(d / 1e-4)
		if (b > 40000) b = 40000
		W[b] += a; wsum += a
	} else {
		P[p] = ph; np++
	}
	lt[p] = t; lf[p] = f
	nb++
	if ($7 + 0 == 1) { delete lt[p]; delete lf[p]; delete P[p] }
}
END {
	acc = 0; med = 0; p95 = 0
	for (b = 0; b <= 40000 && wsum > 0; b++)
		if (b in W) {
			acc += W[b]
			if (!med && acc >= wsum / 2) med = (b + 0.5) * 1e-4
			if (acc >= 0.95 * wsum) { p95 = (b + 0.5) * 1e-4; break }
		}
	printf "partials=%d breakpoints=%d drift=%.4f p95=%.4f max=%.4f negative=%d min_spacing=%.6g last=%.6f source_end=%.6f\n",
		np, nb, med, p95, dmax, neg, minsp, maxt, (sr ? src / sr : -1)
}
