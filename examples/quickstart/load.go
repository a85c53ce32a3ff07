package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/profile"
)

// home is the retailer's home country: phone numbers written without a
// country code in a source that has no country column (the support desk)
// are read as Australian. Sources with a country column read each number
// in its record's own country.
const home = "AU"

// currencies are the currencies Harbour & Pine sells in. An order in any
// other currency is a bad row, not a new currency.
var currencies = []string{"AUD", "GBP", "USD"}

// feed is what was read from one file: its records or events and a
// one-line account of every row.
type feed struct {
	File     string         `json:"file"`
	Kind     string         `json:"kind"` // "records" or "events"
	Rows     int64          `json:"rows"`
	Accepted int64          `json:"accepted"`
	Rejects  []reject       `json:"rejects,omitempty"`
	Warnings map[string]int `json:"warnings,omitempty"`
	Columns  int            `json:"columns"`
	Auto     int            `json:"auto_mapped"`        // columns mapped by their header name
	Ours     []string       `json:"ours,omitempty"`     // what our mapping says, column=role or field
	Unmapped []string       `json:"unmapped,omitempty"` // kept as attributes
	Note     string         `json:"note,omitempty"`     // what the example did on top of ingest
	records  []*profile.Record
	events   []profile.Event
}

// recordFeeds says how each customer file becomes records. Only what
// auto-mapping cannot know is written out: which column is the key where
// the name is not a usual key name, which column says when the source last
// saw the record, and columns that are not customer attributes.
var recordFeeds = []struct {
	file string
	m    ingest.Mapping
}{
	// The CRM's header is all usual names: customer_id, first_name, ...,
	// loyalty_number, updated_at, marketing_opt_in.
	{"crm.csv", ingest.Mapping{Source: "crm"}},
	// An account's creation time is when the web shop last confirmed its
	// details, so it drives "most recent" survivorship.
	{"webshop_customers.jsonl", ingest.Mapping{Source: "webshop", Observed: "created_at"}},
	// Support keys contacts by ticket; the ticket's type, channel and subject
	// are events (read below), not facts about the person.
	{"support_tickets.csv", ingest.Mapping{Source: "support", Key: "ticket_id", Observed: "opened_at",
		Ignore: []string{"type", "channel", "subject"}, DefaultRegion: home}},
	// Where someone signed up is kept as an attribute, under a clearer name.
	{"newsletter.csv", ingest.Mapping{Source: "newsletter", Key: "subscriber_id", Observed: "subscribed_at",
		Columns: map[string]profile.Field{"source": profile.AttrField("signup_source")}}},
	// A web device is a record: its ID and the emails it logged in with.
	// Pages, region and device type describe sessions, so they are events.
	{"web_sessions.jsonl", ingest.Mapping{Source: "web", Key: "device_id", Observed: "session_start",
		Columns: map[string]profile.Field{"login_email": profile.FieldEmail},
		Ignore:  []string{"pages", "region", "device"}}},
}

// loadRecords reads the five customer files.
func loadRecords(ctx context.Context, data fs.FS) ([]*feed, error) {
	var feeds []*feed
	for _, rf := range recordFeeds {
		f, err := readRecords(ctx, data, rf.file, rf.m)
		if err != nil {
			return nil, err
		}
		feeds = append(feeds, f)
	}
	return feeds, nil
}

// readRecords reads one file of customer records. Rejected rows are kept
// with their line and reason; warnings (junk placeholders, numbers that are
// not phone numbers) are counted by reason.
func readRecords(ctx context.Context, data fs.FS, file string, m ingest.Mapping) (*feed, error) {
	raw, err := fs.ReadFile(data, "data/"+file)
	if err != nil {
		return nil, err
	}
	// The web file has one line per session but one record per device, so
	// its repeated keys are folded below rather than rejected.
	opts := ingest.Options{}
	if m.Source == "web" {
		opts.Duplicates = ingest.NoDuplicateCheck
	}
	src, err := ingest.NewSource(bytes.NewReader(raw), m, opts)
	if err != nil {
		return nil, err
	}
	out := &feed{File: file, Kind: "records"}
	byKey := map[string]*profile.Record{}
	for rec, err := range src.Records(ctx) {
		if rej, ok := errors.AsType[*ingest.Reject](err); ok {
			out.Rejects = append(out.Rejects, reject{rej.Line, rej.Reason.Error()})
			continue
		}
		if err != nil {
			return nil, err // a *ingest.ReadError: the file cannot be read on
		}
		if prev, ok := byKey[rec.Key]; ok {
			foldSession(prev, rec)
			continue
		}
		byKey[rec.Key] = rec
		out.records = append(out.records, rec)
	}
	rep := src.Report()
	out.summarize(&rep)
	if m.Source == "web" {
		out.Note = fmt.Sprintf("%d sessions folded into %d devices", rep.Accepted, len(out.records))
	}
	return out, nil
}

// foldSession adds a later session of a device to its record: a login
// email not seen before, and the latest session time.
func foldSession(dev, s *profile.Record) {
	for _, e := range s.Emails {
		if !slices.ContainsFunc(dev.Emails, func(d profile.Email) bool { return d.Address == e.Address }) {
			dev.Emails = append(dev.Emails, e)
		}
	}
	if s.Observed.After(dev.Observed) {
		dev.Observed = s.Observed
	}
}

// summarize fills the counts of a feed from its ingest report.
func (f *feed) summarize(rep *ingest.Report) {
	f.Rows, f.Accepted = rep.RowsRead, rep.Accepted
	f.Columns = len(rep.Columns)
	for _, c := range rep.Columns {
		switch {
		case c.How == ingest.HowAuto:
			f.Auto++
		case c.How == ingest.HowExplicit && c.Role == ingest.RoleField:
			f.Ours = append(f.Ours, fmt.Sprintf("%s=%s", c.Name, c.Field))
		case c.How == ingest.HowExplicit:
			f.Ours = append(f.Ours, fmt.Sprintf("%s=%s", c.Name, c.Role))
		case c.Role == ingest.RoleField:
			f.Unmapped = append(f.Unmapped, c.Name)
		}
	}
	for reason, n := range rep.WarningsByReason {
		if f.Warnings == nil {
			f.Warnings = map[string]int{}
		}
		f.Warnings[strings.TrimPrefix(reason, "profile: ")] += int(n)
	}
}

// reject is a row that could not be used, and why.
type reject struct {
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

// eventFeeds say how the three activity files become events. Each names
// the record the events hang off and the time column; the other columns
// (order_id, total, currency, channel, device, campaign, type, region)
// auto-map.
var eventFeeds = []struct {
	file string
	m    ingest.EventMapping
}{
	// Orders hang off the web shop account that placed them. An order's
	// status (paid or returned) is not an event type: see readEvents.
	{"webshop_orders.jsonl", ingest.EventMapping{Name: "orders", Source: "webshop",
		Columns:     map[string]ingest.EventField{"user_id": ingest.EventRecordKey, "placed_at": ingest.EventTime},
		DefaultType: profile.Purchase}},
	// A ticket is a complaint or an enquiry on the ticket's own record.
	{"support_tickets.csv", ingest.EventMapping{Name: "tickets", Source: "support",
		Columns: map[string]ingest.EventField{"ticket_id": ingest.EventRecordKey, "opened_at": ingest.EventTime},
		Ignore:  []string{"contact_name", "contact_email", "contact_phone"}}},
	// A session is a visit on the device's record.
	{"web_sessions.jsonl", ingest.EventMapping{Name: "sessions", Source: "web",
		Columns:     map[string]ingest.EventField{"device_id": ingest.EventRecordKey, "session_start": ingest.EventTime},
		Ignore:      []string{"login_email"},
		DefaultType: profile.Visit}},
}

// loadEvents reads the activity files. known holds the keys of the records
// read, so that an event of a record that does not exist is a reject
// rather than activity that silently reaches no one.
func loadEvents(ctx context.Context, data fs.FS, known map[profile.Ref]bool) ([]*feed, error) {
	var feeds []*feed
	for _, ef := range eventFeeds {
		f, err := readEvents(ctx, data, ef.file, ef.m, known)
		if err != nil {
			return nil, err
		}
		feeds = append(feeds, f)
	}
	return feeds, nil
}

// readEvents reads one activity file. Ingest rejects rows whose amount or
// time cannot be read; on top of that the example applies three business
// rules ingest cannot know: an order is in one of the shop's currencies,
// an order ID is exported once, and an event belongs to a known record.
func readEvents(ctx context.Context, data fs.FS, file string, m ingest.EventMapping, known map[profile.Ref]bool) (*feed, error) {
	raw, err := fs.ReadFile(data, "data/"+file)
	if err != nil {
		return nil, err
	}
	src, err := ingest.NewEventSource(bytes.NewReader(raw), m, ingest.Options{})
	if err != nil {
		return nil, err
	}
	lines := rowLines(raw)
	out := &feed{File: file, Kind: "events"}
	seen := map[profile.Ref]bool{}
	row := 0
	for ev, err := range src.Events(ctx) {
		row++ // every step is one row, accepted or rejected
		if rej, ok := errors.AsType[*ingest.Reject](err); ok {
			if row > len(lines) || int64(lines[row-1]) != rej.Line {
				return nil, fmt.Errorf("%s: row %d is not on line %d: rows and lines disagree", file, row, rej.Line)
			}
			out.Rejects = append(out.Rejects, reject{rej.Line, rej.Reason.Error()})
			continue
		}
		if err != nil {
			return nil, err
		}
		if why := checkEvent(ev, seen, known); why != "" {
			if row > len(lines) {
				return nil, fmt.Errorf("%s: row %d past the last line: rows and lines disagree", file, row)
			}
			out.Rejects = append(out.Rejects, reject{int64(lines[row-1]), why})
			continue
		}
		out.events = append(out.events, shape(ev)...)
	}
	rep := src.Report()
	if rep.RowsRead != int64(len(lines)) {
		return nil, fmt.Errorf("%s: %d rows read but %d non-blank lines: rows and lines disagree", file, rep.RowsRead, len(lines))
	}
	out.summarize(&rep)
	out.Accepted = rep.RowsRead - int64(len(out.Rejects))
	return out, nil
}

// checkEvent applies the business rules to one event and says what is
// wrong with it, or "".
func checkEvent(ev profile.Event, seen, known map[profile.Ref]bool) string {
	if ev.OrderID != "" {
		if ev.Amount <= 0 {
			return fmt.Sprintf("order %s: no total", ev.OrderID)
		}
		if !slices.Contains(currencies, ev.Currency) {
			return fmt.Sprintf("order %s: currency %q is not one of %s", ev.OrderID, ev.Currency, strings.Join(currencies, ", "))
		}
		id := profile.Ref{Source: ev.Record.Source, Key: ev.OrderID}
		if seen[id] {
			return fmt.Sprintf("order %s: exported twice (duplicate order_id), the first is kept", ev.OrderID)
		}
		seen[id] = true
	}
	if !known[ev.Record] {
		return fmt.Sprintf("%s: no record %s (orphan event)", eventName(ev), ev.Record)
	}
	return ""
}

// shape finishes an event as the rest of the program wants it:
//   - sessions carry no channel column: they all happened on the web site;
//   - a returned order is a purchase and then a return of the same order
//     (the export keeps the original total and no return date, so the
//     return is dated with the order);
//   - an order tagged with a campaign is also a response to that campaign,
//     which is what the engagement report counts per campaign (without
//     channel and device, which the order already counts).
func shape(ev profile.Event) []profile.Event {
	switch {
	case ev.Type == profile.Visit && ev.Channel == "":
		ev.Channel = profile.ChannelWeb
	case ev.OrderID != "":
		ev.ID = ev.OrderID
		out := []profile.Event{ev}
		if ev.Attrs["status"] == "returned" {
			ret := ev
			ret.Type, ret.ID = profile.Return, ev.OrderID+"/return"
			out = append(out, ret)
		}
		if ev.Campaign != "" {
			resp := ev
			resp.Type, resp.ID = profile.CampaignResponse, ev.OrderID+"/campaign"
			resp.Amount, resp.Currency, resp.Channel, resp.Device = 0, "", "", ""
			out = append(out, resp)
		}
		return out
	case ev.Record.Source == "support":
		ev.ID = ev.Record.Key
	}
	return []profile.Event{ev}
}

func eventName(ev profile.Event) string {
	if ev.OrderID != "" {
		return "order " + ev.OrderID
	}
	return string(ev.Type)
}

// rowLines returns the line number of each row of a JSON Lines or CSV
// file without quoted line breaks: ingest names the line of a reject, but
// not of an accepted event that a later business rule rejects.
func rowLines(raw []byte) []int {
	var out []int
	for i, l := range bytes.Split(raw, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			out = append(out, i+1)
		}
	}
	if len(out) > 0 && !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		out = out[1:] // a CSV header is not a row
	}
	return out
}

// sortedKeys returns the keys of a count map, largest count first.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
	return keys
}
