package ingest

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// Report says what reading one source did. Its counts reconcile: every
// data row read was accepted or rejected (RowsRead == Accepted + Rejected),
// including when the stream ended early with an error. Header lines and
// blank lines are not rows.
type Report struct {
	Source string
	Format Format
	// Columns says what became of each column (JSON: each flattened key).
	Columns []ColumnReport
	// UntrackedKeys counts JSON values under keys past Options.MaxColumns
	// (read with the same rules, but not listed in Columns).
	UntrackedKeys int64

	RowsRead int64
	Accepted int64
	Rejected int64
	// Replaced counts accepted rows whose key was seen before (LastWins).
	Replaced int64
	// RejectsByReason counts rejects by reason (the sentinel's text, such
	// as "ingest: wrong column count").
	RejectsByReason map[string]int64

	// Warnings counts every warning; WarningDetails keeps the first
	// Options.MaxWarnings of them.
	Warnings         int64
	WarningsByReason map[string]int64
	WarningsByColumn map[string]int64
	WarningDetails   []Warning

	// Done is true when the stream was read to its end or to a fatal
	// error, false while reading or when the consumer stopped early.
	Done bool
	// Err is the fatal error that ended the stream, or nil.
	Err error
}

// Reconciled reports whether RowsRead == Accepted + Rejected.
func (r Report) Reconciled() bool { return r.RowsRead == r.Accepted+r.Rejected }

// Mapped returns the columns that feed a field by mapping (explicit or
// auto), and Unmapped those that nothing recognised (kept as attr:<name>
// or ignored). The key and observed columns are in neither.
func (r Report) Mapped() []ColumnReport {
	var out []ColumnReport
	for _, c := range r.Columns {
		if c.Role == RoleField && c.How != HowUnmapped {
			out = append(out, c)
		}
	}
	return out
}

// Unmapped returns the columns no mapping or auto rule recognised.
func (r Report) Unmapped() []ColumnReport {
	var out []ColumnReport
	for _, c := range r.Columns {
		if c.How == HowUnmapped {
			out = append(out, c)
		}
	}
	return out
}

// WriteMapping writes the column table: name, role, field, how decided,
// values read, and notes.
func (r Report) WriteMapping(w io.Writer) error {
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "column\trole\tfield\thow\tvalues\tnote\n")
	for _, c := range r.Columns {
		name := c.Name
		if name == "" {
			name = `""`
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", name, c.Role, orDash(string(c.Field)), c.How, c.Values, c.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// String summarises the report: counts, mapping, reject and warning
// reasons, and the first warnings.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "source %s (%s): %d rows read, %d accepted, %d rejected", r.Source, r.Format, r.RowsRead, r.Accepted, r.Rejected)
	if r.Replaced > 0 {
		fmt.Fprintf(&b, ", %d replaced earlier rows", r.Replaced)
	}
	fmt.Fprintf(&b, ", %d warnings", r.Warnings)
	if !r.Reconciled() {
		b.WriteString(" (COUNTS DO NOT RECONCILE)")
	}
	b.WriteString("\n")
	if r.Err != nil {
		fmt.Fprintf(&b, "stopped: %v\n", r.Err)
	} else if !r.Done {
		b.WriteString("not read to the end\n")
	}
	r.WriteMapping(&b)
	writeCounts(&b, "rejects", r.RejectsByReason)
	writeCounts(&b, "warnings", r.WarningsByReason)
	for _, w := range r.WarningDetails {
		fmt.Fprintf(&b, "  %s\n", w)
	}
	if n := r.Warnings - int64(len(r.WarningDetails)); n > 0 && len(r.WarningDetails) > 0 {
		fmt.Fprintf(&b, "  ... and %d more\n", n)
	}
	return b.String()
}

func writeCounts(b *strings.Builder, title string, m map[string]int64) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(b, "%s:\n", title)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(b, "  %8d  %s\n", m[k], k)
	}
}

// clone returns a deep copy, so a caller's copy does not change under it.
func (r *Report) clone() Report {
	c := *r
	c.Columns = slices.Clone(r.Columns)
	c.RejectsByReason = maps.Clone(r.RejectsByReason)
	c.WarningsByReason = maps.Clone(r.WarningsByReason)
	c.WarningsByColumn = maps.Clone(r.WarningsByColumn)
	c.WarningDetails = slices.Clone(r.WarningDetails)
	return c
}

// counter holds a report under construction and the warning policy.
type counter struct {
	rep       Report
	maxWarn   int
	onWarning func(Warning)
}

func (c *counter) reject(rj *Reject) {
	c.rep.RowsRead++
	c.rep.Rejected++
	if c.rep.RejectsByReason == nil {
		c.rep.RejectsByReason = map[string]int64{}
	}
	c.rep.RejectsByReason[reasonName(rj.Reason, rejectSentinels)]++
}

func (c *counter) accept(replaced bool) {
	c.rep.RowsRead++
	c.rep.Accepted++
	if replaced {
		c.rep.Replaced++
	}
}

func (c *counter) warn(w Warning) {
	c.rep.Warnings++
	if c.rep.WarningsByReason == nil {
		c.rep.WarningsByReason = map[string]int64{}
		c.rep.WarningsByColumn = map[string]int64{}
	}
	c.rep.WarningsByReason[reasonName(w.Err, warningSentinels)]++
	c.rep.WarningsByColumn[w.Column]++
	if len(c.rep.WarningDetails) < c.maxWarn {
		c.rep.WarningDetails = append(c.rep.WarningDetails, w)
	}
	if c.onWarning != nil {
		c.onWarning(w)
	}
}

func (c *counter) end(err error) {
	c.rep.Done = true
	c.rep.Err = err
}
