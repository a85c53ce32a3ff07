package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// printText prints the tour as text, section by section.
func printText(w io.Writer, r *result) error {
	t := &printer{w: w}
	t.printf("Harbour & Pine: a single customer view from five systems, as of %s\n", r.Now.Format("2 January 2006"))
	t.ingest(r.Feeds)
	t.resolve(r.Records, r.Sources, r.Quality)
	t.customers(r.Customers)
	t.explanations(r.Explanations, r.Correction)
	t.segments(r.Segments, r.RFM, len(r.Profiles))
	t.engagement(r.Engagement)
	return t.err
}

// printer writes the text output. The first write error is kept in err
// and stops further output.
type printer struct {
	w   io.Writer
	err error
}

func (t *printer) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *printer) section(n int, title string) {
	t.printf("\n%d. %s\n%s\n", n, title, strings.Repeat("=", len(title)+3))
}

// ingest prints one line per file, then each reject with its line and
// reason.
func (t *printer) ingest(feeds []*feed) {
	t.section(1, "Ingest")
	for _, f := range feeds {
		t.printf("%-24s %-7s %3d rows, %3d accepted, %d rejected", f.File, f.Kind, f.Rows, f.Accepted, len(f.Rejects))
		if len(f.Warnings) > 0 {
			var ws []string
			for _, r := range sortedKeys(f.Warnings) {
				ws = append(ws, fmt.Sprintf("%d %s", f.Warnings[r], r))
			}
			t.printf(", warnings: %s", strings.Join(ws, ", "))
		}
		t.printf("\n%24s %d of %d columns auto-mapped", "", f.Auto, f.Columns)
		if len(f.Ours) > 0 {
			t.printf("; ours: %s", strings.Join(f.Ours, ", "))
		}
		if len(f.Unmapped) > 0 {
			t.printf("; kept as attributes: %s", strings.Join(f.Unmapped, ", "))
		}
		if f.Note != "" {
			t.printf("; %s", f.Note)
		}
		t.printf("\n")
		for _, r := range f.Rejects {
			t.printf("%24s reject line %d: %s\n", "", r.Line, r.Reason)
		}
	}
}

// resolve prints the counts and the quality against the answer key.
func (t *printer) resolve(records, sources int, q *quality) {
	t.section(2, "Resolve")
	t.printf("%d records from %d sources -> %d profiles (the answer key has %d people)\n", records, sources, q.Profiles, q.People)
	t.printf("quality against truth.csv: pairwise precision %.3f, recall %.3f, F1 %.3f (B-cubed precision %.3f, recall %.3f)\n",
		q.Pairwise.Precision, q.Pairwise.Recall, q.Pairwise.F1, q.BCubedPrecision, q.BCubedRecall)
	t.printf("  %d true pairs found, %d false pairs, %d pairs missed\n", q.Pairwise.TruePositives, q.Pairwise.FalsePositives, q.Pairwise.FalseNegatives)
	if len(q.Split) > 0 {
		t.printf("  split: %s\n", strings.Join(q.Split, "; "))
	}
	if len(q.Lumped) > 0 {
		t.printf("  lumped: %s\n", strings.Join(q.Lumped, "; "))
	}
}

// customers prints the showcased single customer views.
func (t *printer) customers(cs []*customer) {
	t.section(3, "Single customer views")
	for _, c := range cs {
		t.customer(c)
	}
}

// timelineLen is how many of the latest events a view shows.
const timelineLen = 8

func (t *printer) customer(c *customer) {
	v := c.View
	p := &v.Profile
	t.printf("\n%s: %s\n", displayName(p), c.Why)
	t.printf("  profile %s, found by %s, %d records\n", p.ID, c.FoundBy, len(p.Members))
	t.printf("  golden fields (value <- source record, when it was written, survivorship rule):\n")
	for _, f := range goldenFields(p) {
		for _, gv := range p.Fields[f] {
			if gv.Value == "" {
				continue // an address part this address lacks
			}
			t.printf("    %-18s %-30s <- %s\n", f, gv.Value, provenance(gv))
		}
	}
	t.printf("  member records:\n")
	for _, r := range v.Members {
		t.printf("    %-22s %s\n", r.Ref(), summary(r))
	}
	n := min(len(v.Timeline), timelineLen)
	t.printf("  timeline (latest %d of %d events, newest first):\n", n, len(v.Timeline))
	for _, ev := range v.Timeline[:n] {
		t.printf("    %s\n", eventLine(ev))
	}
	t.printf("  aggregates: %s\n", aggLine(v.Aggregates))
	if a := v.Aggregates; a != nil && len(a.Channels) > 0 {
		t.printf("  channels: %s (prefers %s)\n", tallies(a.Channels), a.PreferredChannel)
	}
	t.printf("  value tier %s; RFM %d%d%d (%s)\n", c.Tier, c.RFM.R, c.RFM.F, c.RFM.M, c.RFM.Segment)
	t.printf("  segments: %s\n", orNone(c.Segments))
}

// provenance says where a golden value came from and which rule chose it.
func provenance(gv profile.GoldenValue) string {
	if gv.Observed.IsZero() {
		return fmt.Sprintf("%s, %s", gv.From, gv.Rule)
	}
	return fmt.Sprintf("%s (%s), %s", gv.From, gv.Observed.In(shopZone).Format("2006-01-02"), gv.Rule)
}

// eventLine describes one timeline event: when (in the shop's time zone),
// what, where, and which source record it came from.
func eventLine(ev profile.Event) string {
	var what []string
	what = append(what, string(ev.Type))
	if ev.OrderID != "" {
		what = append(what, ev.OrderID)
	}
	if ev.Amount != 0 {
		what = append(what, fmt.Sprintf("%s %.2f", ev.Currency, ev.Amount))
	}
	if s := ev.Attrs["subject"]; s != "" {
		what = append(what, fmt.Sprintf("%q", s))
	}
	if s := ev.Attrs["pages"]; s != "" {
		what = append(what, s+" pages")
	}
	where := string(ev.Channel)
	if ev.Device != "" {
		where += "/" + ev.Device
	}
	return fmt.Sprintf("%s  %-44s %-15s %s", ev.Time.In(shopZone).Format("2006-01-02 15:04"), strings.Join(what, " "), where, ev.Record)
}

// aggLine summarises a customer's aggregates in one line.
func aggLine(a *segment.Aggregates) string {
	if a == nil || a.Events == 0 {
		return "no events"
	}
	s := fmt.Sprintf("%d events", a.Events)
	if a.Purchases > 0 {
		s += fmt.Sprintf(", %d orders, spend A$%.2f (avg A$%.2f), last order %s (%d days ago)",
			a.Purchases, a.Spend, a.AvgOrderValue, a.LastPurchase.In(shopZone).Format("2006-01-02"), days(a.Now.Sub(a.LastPurchase)))
	}
	if a.Returns > 0 {
		s += fmt.Sprintf(", %d returns (A$%.2f)", a.Returns, a.Returned)
	}
	if a.Complaints > 0 || a.Enquiries > 0 {
		s += fmt.Sprintf(", %d complaints, %d enquiries", a.Complaints, a.Enquiries)
	}
	return s
}

func tallies(ts []segment.Tally) string {
	var s []string
	for _, t := range ts {
		s = append(s, fmt.Sprintf("%s %d", t.Name, t.N))
	}
	return strings.Join(s, ", ")
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// explanations prints a match, a non-match and the steward's correction.
func (t *printer) explanations(xs []*explained, c *correction) {
	t.section(4, "Why: match explanations")
	for _, x := range xs {
		t.printf("\n%s\n", x.Why)
		t.pair(x.Pair)
	}
	t.printf("\n%s\n", c.Why)
	t.pair(c.Before)
	if len(c.Changes) == 0 {
		return
	}
	t.printf("  A data steward asserts they are different people (Engine.AssertNotSame). Changes:\n")
	for _, ch := range c.Changes {
		t.printf("    %s\n", ch)
	}
	for i, ms := range c.Members {
		t.printf("  %s is now in a profile of %d records: %s\n", couple[i], len(ms), refs(ms))
	}
	q := c.Quality
	t.printf("  quality after the correction: precision %.3f, recall %.3f, F1 %.3f\n", q.Pairwise.Precision, q.Pairwise.Recall, q.Pairwise.F1)
}

// pair prints whether two records share a profile, and the waterfall of
// their match score.
func (t *printer) pair(x *unify.PairExplanation) {
	same := "in different profiles"
	if x.SameProfile {
		same = "in the same profile " + x.ProfileA
	}
	t.printf("  %s and %s are %s\n", x.A, x.B, same)
	if x.Match != nil {
		t.printf("%s\n", indent(x.Match.String(), "  "))
	}
}

func refs(rs []profile.Ref) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// segments prints segment membership and the RFM grid.
func (t *printer) segments(rs []segmentResult, rfm []rfmCount, customers int) {
	t.section(5, "Segments")
	t.printf("%d customer profiles\n", customers)
	for _, r := range rs {
		t.printf("  %-26s %3d  %s\n", r.Name, r.Members, r.Condition)
		if len(r.Top) > 0 {
			t.printf("  %-26s      e.g. %s\n", "", strings.Join(r.Top, ", "))
		}
	}
	var cs []string
	for _, c := range rfm {
		cs = append(cs, fmt.Sprintf("%s %d", c.Segment, c.Members))
	}
	t.printf("RFM segments (recency, frequency and spend quintiles):\n  %s\n", strings.Join(cs, ", "))
}

// engagement prints the engagement report in a few lines.
func (t *printer) engagement(r *segment.Report) {
	t.section(6, "Engagement")
	t.printf("%d events from %d of %d profiles; %d orders, A$%.2f\n", r.Events, r.ActiveProfiles, r.Profiles, r.Orders, r.Spend)
	t.printf("what:      %s\n", buckets(r.EventTypes, 6, false))
	t.printf("campaigns: %s\n", buckets(r.Campaigns, 3, true))
	t.printf("where:     %s\n", buckets(r.Channels, 6, true))
	t.printf("devices:   %s\n", buckets(r.Devices, 3, true))
	t.printf("regions:   %s\n", buckets(r.Regions, 6, false))
	t.printf("when:      busiest hours in Sydney %s; busiest days %s\n", busiest(r.Hours, 3), busiest(r.Weekdays, 3))
	d := r.EventsPerProfile
	t.printf("often:     events per profile median %d, p90 %d, max %d\n", d.Median, d.P90, d.Max)
	t.printf("spend:     correlation of event count with spend %s\n", corr(r.SpendCorrelation))
	for _, s := range r.Segments {
		sr := s.Report
		if sr.Profiles == 0 {
			continue
		}
		t.printf("  %-26s %3d profiles, %4d events, A$%9.2f, top channel %s\n", s.Name, sr.Profiles, sr.Events, sr.Spend, top(sr.Channels))
	}
}

// buckets lists the first n buckets; withSpend adds the average spend of
// customers who use the value against those who do not.
func buckets(bs []segment.Bucket, n int, withSpend bool) string {
	var out []string
	for _, b := range bs[:min(n, len(bs))] {
		s := fmt.Sprintf("%s %d", b.Key, b.Events)
		if withSpend {
			s += fmt.Sprintf(" (users spend A$%.0f, others A$%.0f)", b.AvgSpendWith, b.AvgSpendWithout)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// busiest returns the n slots with the most events, most first.
func busiest(slots []segment.Slot, n int) string {
	s := slices.Clone(slots)
	slices.SortStableFunc(s, func(a, b segment.Slot) int { return b.Events - a.Events })
	var out []string
	for _, x := range s[:min(n, len(s))] {
		out = append(out, fmt.Sprintf("%s (%d events)", x.Key, x.Events))
	}
	return strings.Join(out, ", ")
}

func top(bs []segment.Bucket) string {
	if len(bs) == 0 {
		return "-"
	}
	return bs[0].Key
}

func corr(c *float64) string {
	if c == nil {
		return "undefined"
	}
	return fmt.Sprintf("%+.2f", *c)
}
