package ingest

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/unifyhq/unify/profile"
)

func readEvents(t *testing.T, in string, m EventMapping, o Options) ([]profile.Event, []*Reject, error, Report) {
	t.Helper()
	perRow := m.hasExplicit(EventRecordSource) // sources from a column
	if m.Source == "" && !perRow {
		m.Source = "shop"
	}
	src, err := NewEventSource(strings.NewReader(in), m, o)
	if err != nil {
		t.Fatalf("NewEventSource: %v", err)
	}
	var evs []profile.Event
	var rejects []*Reject
	var fatal error
	for ev, err := range src.Events(context.Background()) {
		var rj *Reject
		switch {
		case errors.As(err, &rj):
			rejects = append(rejects, rj)
		case err != nil:
			fatal = err
		default:
			if ev.Record.Key == "" || ev.Record.Source == "" || !perRow && ev.Record.Source != m.Source || ev.Time.IsZero() || ev.Type == "" {
				t.Fatalf("bad event %+v", ev)
			}
			evs = append(evs, ev)
		}
	}
	rep := src.Report()
	if !rep.Reconciled() || rep.Accepted != int64(len(evs)) || rep.Rejected != int64(len(rejects)) {
		t.Fatalf("report %d read, %d accepted, %d rejected; stream %d events, %d rejects", rep.RowsRead, rep.Accepted, rep.Rejected, len(evs), len(rejects))
	}
	return evs, rejects, fatal, rep
}

func TestEventsCSV(t *testing.T) {
	in := "order_id,customer_id,total,currency,created_at,channel,utm_campaign,store\n" +
		"o1,C1,12.50,eur,2024-03-15 14:30:00,Web,spring,\n" +
		"o2,C2,\"1,234.50\",,2024-03-16T09:00:00+01:00,Store,,Sydney CBD\n" +
		"o3,C1,-5.00,EUR,1710513000,app,,\n" +
		"o4,,9.99,EUR,2024-03-17,web,,\n" +
		"o5,C3,twelve,EUR,2024-03-17,web,,\n" +
		"o6,C3,1.00,EUR,someday,web,,\n"
	evs, rejects, fatal, rep := readEvents(t, in, EventMapping{Name: "orders", DefaultCurrency: "AUD"}, Options{})
	if fatal != nil {
		t.Fatal(fatal)
	}
	if len(evs) != 3 || len(rejects) != 3 {
		t.Fatalf("%d events, %d rejects", len(evs), len(rejects))
	}
	e := evs[0]
	if e.OrderID != "o1" || e.Record != (profile.Ref{Source: "shop", Key: "C1"}) || e.Amount != 12.5 || e.Currency != "EUR" ||
		e.Type != profile.Purchase || e.Channel != profile.ChannelWeb || e.Campaign != "spring" ||
		!e.Time.Equal(time.Date(2024, 3, 15, 14, 30, 0, 0, time.UTC)) {
		t.Errorf("event 1: %+v", e)
	}
	if e := evs[1]; e.Amount != 1234.5 || e.Currency != "AUD" || e.Attrs["store"] != "Sydney CBD" || e.Time.Unix() != time.Date(2024, 3, 16, 8, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("event 2: %+v", e)
	}
	if e := evs[2]; e.Type != profile.Return || e.Amount != 5 || e.Time.Unix() != 1710513000 {
		t.Errorf("event 3 (negative purchase = return): %+v", e)
	}
	for i, want := range []error{ErrMissingKey, ErrBadAmount, ErrBadTime} {
		if !errors.Is(rejects[i], want) || rejects[i].Source != "orders" || rejects[i].Line != int64(i+5) {
			t.Errorf("reject %d: %v, want %v on line %d", i, rejects[i], want, i+5)
		}
	}
	if rejects[1].Column != "total" || rejects[2].Column != "created_at" {
		t.Errorf("reject columns %q %q", rejects[1].Column, rejects[2].Column)
	}
	if rep.Source != "orders" {
		t.Errorf("report source %q", rep.Source)
	}
}

func TestEventsInteractionsJSONL(t *testing.T) {
	in := `{"user_id":"u1","event":"Campaign Response","timestamp":"2024-05-01T10:00:00Z","channel":"email","campaign":"may"}
{"user_id":"u2","event_type":"complaint","time":1714557600000,"device":"iPhone","region":"AU"}
{"user_id":"u3","time":"2024-05-01"}
{"user_id":"u4","type":"visit"}
not json
`
	evs, rejects, fatal, _ := readEvents(t, in, EventMapping{}, Options{})
	if fatal != nil {
		t.Fatal(fatal)
	}
	if len(evs) != 2 || len(rejects) != 3 {
		t.Fatalf("%d events, %d rejects: %v", len(evs), len(rejects), rejects)
	}
	if evs[0].Type != profile.CampaignResponse || evs[0].Channel != profile.ChannelEmail || evs[0].Campaign != "may" {
		t.Errorf("event 1 %+v", evs[0])
	}
	// Later objects may name fields differently ("event_type", "time").
	if e := evs[1]; e.Type != profile.Complaint || e.Device != "iPhone" || e.Region != "AU" || e.Time.UnixMilli() != 1714557600000 {
		t.Errorf("event 2 %+v", e)
	}
	for i, want := range []error{ErrMissingType, ErrBadTime, ErrMalformedJSON} {
		if !errors.Is(rejects[i], want) {
			t.Errorf("reject %d: %v, want %v", i, rejects[i], want)
		}
	}
}

// TestEventsRecordSource reads a feed holding several sources' events,
// as the generator's events.csv and warehouse exports do.
func TestEventsRecordSource(t *testing.T) {
	in := "event_id,source,record_key,type,time\n" +
		"e1,crm,C1,visit,2024-01-01\n" +
		"e2,webshop,u9,visit,2024-01-02\n" +
		"e3,,C2,visit,2024-01-03\n"
	read := func(m EventMapping) ([]profile.Event, []*Reject) {
		t.Helper()
		evs, rejects, fatal, _ := readEvents(t, in, m, Options{})
		if fatal != nil {
			t.Fatal(fatal)
		}
		return evs, rejects
	}
	cols := map[string]EventField{"source": EventRecordSource}
	// No default source: the row without one is rejected, naming the column.
	evs, rejects := read(EventMapping{Columns: cols})
	if len(evs) != 2 || evs[0].Record != (profile.Ref{Source: "crm", Key: "C1"}) || evs[1].Record != (profile.Ref{Source: "webshop", Key: "u9"}) {
		t.Errorf("events %+v", evs)
	}
	if len(rejects) != 1 || !errors.Is(rejects[0], ErrMissingKey) || rejects[0].Column != "source" || rejects[0].Line != 4 {
		t.Errorf("rejects %v", rejects)
	}
	// With a default, that row takes it; the others keep their own.
	evs, rejects = read(EventMapping{Source: "pos", Columns: cols})
	if len(evs) != 3 || len(rejects) != 0 || evs[0].Record.Source != "crm" || evs[2].Record != (profile.Ref{Source: "pos", Key: "C2"}) {
		t.Errorf("with a default: events %+v, rejects %v", evs, rejects)
	}
	// "source" alone is not read as the record source: in event feeds it
	// is as often the traffic source.
	evs, _ = read(EventMapping{Source: "pos"})
	if len(evs) != 3 || evs[0].Record.Source != "pos" || evs[0].Attrs["source"] != "crm" {
		t.Errorf("auto-mapped: events %+v", evs)
	}
	// "source_system" is.
	src := strings.Replace(in, "event_id,source,", "event_id,source_system,", 1)
	s2, err := NewEventSource(strings.NewReader(src), EventMapping{Source: "pos"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for ev, err := range s2.Events(context.Background()) {
		if err == nil {
			got = append(got, ev.Record.Source)
		}
	}
	if strings.Join(got, ",") != "crm,webshop,pos" {
		t.Errorf("source_system: sources %q", got)
	}
	// No source anywhere is a mapping error.
	if _, err := NewEventSource(strings.NewReader(in), EventMapping{}, Options{}); !errors.Is(err, ErrMapping) || !strings.Contains(err.Error(), "record_source") {
		t.Errorf("no source: %v", err)
	}
}

func TestEventMappingErrors(t *testing.T) {
	for _, m := range []EventMapping{{}, {Source: "s", Columns: map[string]EventField{"a": "amout"}},
		{Source: "s", Columns: map[string]EventField{"a": EventAmount, "b": EventAmount}}, {Source: "s", DefaultCurrency: "euro"}} {
		if _, err := NewEventSource(strings.NewReader(""), m, Options{}); !errors.Is(err, ErrMapping) {
			t.Errorf("mapping %+v: %v", m, err)
		}
	}
	_, _, fatal, _ := readEvents(t, "a,b\n1,2\n", EventMapping{}, Options{})
	if !errors.Is(fatal, ErrMapping) {
		t.Errorf("no key column: %v", fatal)
	}
	_, _, fatal, _ = readEvents(t, "customer_id,when\n1,2024-01-01\n", EventMapping{Columns: map[string]EventField{"amount_eur": EventAmount}}, Options{})
	if !errors.Is(fatal, ErrUnknownColumn) {
		t.Errorf("unknown column: %v", fatal)
	}
}

// A feed without a usual time column name: one time-like name is the
// time; none or several fail at a CSV header, not on every row.
func TestEventTimeColumn(t *testing.T) {
	tests := []struct {
		in      string
		timeCol string // "" means the header is refused
		names   string // in the error
	}{
		{`{"customer_id":"C1","placed_at":"2024-03-15T10:00:00Z","total":5}` + "\n", "placed_at", ""},
		{"customer_id,Bestelldatum,total\nC1,2024-03-15,5\n", "", `"customer_id", "Bestelldatum", "total"`},
		{"customer_id,Bestell_Datum,total\nC1,2024-03-15,5\n", "Bestell_Datum", ""},
		{"customer_id,placed_at,shipped_at,total\nC1,2024-03-15,2024-03-16,5\n", "", `"placed_at", "shipped_at"`},
		{"customer_id,total\nC1,5\n", "", `"customer_id", "total"`},
		{"customer_id,created_at,shipped_at,total\nC1,2024-03-15,2024-03-16,5\n", "created_at", ""},
	}
	for _, tt := range tests {
		evs, rejects, fatal, rep := readEvents(t, tt.in, EventMapping{}, Options{})
		if tt.timeCol == "" {
			if !errors.Is(fatal, ErrMapping) || !strings.Contains(fatal.Error(), tt.names) || len(rejects) > 0 {
				t.Errorf("%q: error %v, %d rejects; want ErrMapping naming %s", tt.in, fatal, len(rejects), tt.names)
			}
			continue
		}
		if fatal != nil || len(evs) != 1 || len(rejects) > 0 {
			t.Errorf("%q: error %v, %d events, rejects %v", tt.in, fatal, len(evs), rejects)
			continue
		}
		for _, c := range rep.Columns {
			if c.Name == tt.timeCol && c.Field != profile.Field(EventTime) {
				t.Errorf("%q: %s -> %q, want the time", tt.in, c.Name, c.Field)
			}
		}
	}
}

// JSON has no header: an object that leaves out its time is one reject,
// not the feed refused, and the time-like guess is made from the keys
// seen so far.
func TestEventTimeJSON(t *testing.T) {
	const (
		noTime = `{"customer_id":"C0","total":5}` + "\n"
		at     = `{"customer_id":"C1","time":"2024-03-15T10:00:00Z","total":5}` + "\n"
		placed = `{"customer_id":"C1","placed_at":"2024-03-15T10:00:00Z","total":5}` + "\n"
		both   = `{"customer_id":"C1","placed_at":"2024-03-15T10:00:00Z","shipped_at":"2024-03-16T10:00:00Z","total":5}` + "\n"
	)
	tests := []struct {
		name    string
		in      string
		m       EventMapping
		events  int
		rejects int
		reason  string // in every reject
	}{
		{"first object without a time", noTime + at + at, EventMapping{}, 2, 1, "no key is read as the time"},
		{"first object without a guessed time", noTime + placed + placed, EventMapping{}, 2, 1, "no key is read as the time"},
		{"guessed from the first object", placed + noTime, EventMapping{}, 1, 1, "unreadable time: no time"},
		{"several candidates", both + both, EventMapping{}, 0, 2, `"placed_at", "shipped_at"`},
		{"no candidate", noTime, EventMapping{}, 0, 1, `map one to "time"`},
		{"mapped time not in the first object", `{"customer_id":"C0","placed_at":"2024-03-01","total":5}` + "\n" +
			`{"customer_id":"C1","ts_utc":"2024-03-15","placed_at":"2024-03-01","total":5}` + "\n",
			EventMapping{Columns: map[string]EventField{"ts_utc": EventTime}}, 1, 1, "unreadable time: no time"},
	}
	for _, tt := range tests {
		evs, rejects, fatal, _ := readEvents(t, tt.in, tt.m, Options{})
		if fatal != nil || len(evs) != tt.events || len(rejects) != tt.rejects {
			t.Errorf("%s: error %v, %d events, %d rejects; want %d, %d", tt.name, fatal, len(evs), len(rejects), tt.events, tt.rejects)
			continue
		}
		for _, rj := range rejects {
			if !errors.Is(rj, ErrBadTime) || !strings.Contains(rj.Error(), tt.reason) {
				t.Errorf("%s: reject %v, want ErrBadTime saying %s", tt.name, rj, tt.reason)
			}
		}
		for _, ev := range evs {
			if !ev.Time.Equal(time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)) && !ev.Time.Equal(time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("%s: event at %v, want 15 March", tt.name, ev.Time)
			}
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		comma   bool
		want    float64
		cur     string
		wantErr bool
	}{
		{in: "12.50", want: 12.5},
		{in: "12", want: 12},
		{in: ".5", want: 0.5},
		{in: "1,234.50", want: 1234.5},
		{in: "1,234", want: 1234},
		{in: "1,234,567.8", want: 1234567.8},
		{in: "12,50", want: 12.5},
		{in: "1.234,50", want: 1234.5},
		{in: "1 234,50", want: 1234.5},
		{in: "1'234.50", want: 1234.5},
		{in: "1.234", comma: true, want: 1234},
		{in: "12,5", comma: true, want: 12.5},
		{in: "€12,50", want: 12.5, cur: "EUR"},
		{in: "€ 12.50", want: 12.5, cur: "EUR"},
		{in: "£3", want: 3, cur: "GBP"},
		{in: "$4.10", want: 4.1},
		{in: "12.50 EUR", want: 12.5, cur: "EUR"},
		{in: "usd 7", want: 7, cur: "USD"},
		{in: "-12.50", want: -12.5},
		{in: "(12.50)", want: -12.5},
		{in: "- €3", want: -3, cur: "EUR"},
		{in: "", wantErr: true},
		{in: "twelve", wantErr: true},
		{in: "12.5.0", wantErr: true},
		{in: "1,23,4", wantErr: true},
		{in: "12abc", wantErr: true},
		{in: "EURO 12", wantErr: true},
		{in: "€12 EUR", wantErr: true},
		{in: "1e400", wantErr: true},
		{in: "NaN", wantErr: true},
		{in: "€", wantErr: true},
	}
	for _, tt := range tests {
		got, cur, err := ParseAmount(tt.in, tt.comma)
		if tt.wantErr {
			if !errors.Is(err, ErrBadAmount) {
				t.Errorf("ParseAmount(%q) = %v, %q, %v; want ErrBadAmount", tt.in, got, cur, err)
			}
			continue
		}
		if err != nil || math.Abs(got-tt.want) > 1e-9 || cur != tt.cur {
			t.Errorf("ParseAmount(%q, %v) = %v, %q, %v; want %v, %q", tt.in, tt.comma, got, cur, err, tt.want, tt.cur)
		}
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC) }
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database")
	}
	tests := []struct {
		in    string
		order profile.DateOrder
		zone  *time.Location
		want  time.Time
	}{
		{in: "2024-03-15T14:30:00Z", want: utc(2024, 3, 15, 14, 30, 0)},
		{in: "2024-03-15T14:30:00.250+01:00", want: utc(2024, 3, 15, 13, 30, 0).Add(250 * time.Millisecond)},
		{in: "2024-03-15 14:30:00", want: utc(2024, 3, 15, 14, 30, 0)},
		{in: "2024-03-15 14:30", want: utc(2024, 3, 15, 14, 30, 0)},
		{in: "2024-03-15", want: utc(2024, 3, 15, 0, 0, 0)},
		{in: "2024-03-15 14:30:00", zone: berlin, want: utc(2024, 3, 15, 13, 30, 0)},
		{in: "20240315", want: utc(2024, 3, 15, 0, 0, 0)},
		{in: "20240315143000", want: utc(2024, 3, 15, 14, 30, 0)},
		{in: "1710513000", want: time.Unix(1710513000, 0)},
		{in: "1710513000.5", want: time.Unix(1710513000, 5e8)},
		{in: "1710513000123", want: time.UnixMilli(1710513000123)},
		{in: "15/03/2024 14:30", want: utc(2024, 3, 15, 14, 30, 0)},
		{in: "03/04/2024", order: profile.MDY, want: utc(2024, 3, 4, 0, 0, 0)},
		{in: "03/04/2024", want: utc(2024, 4, 3, 0, 0, 0)},
		{in: "15.03.2024 2:30 pm", want: utc(2024, 3, 15, 14, 30, 0)},
		{in: "March 15, 2024 12:05 am UTC", want: utc(2024, 3, 15, 0, 5, 0)},
		{in: "15/03/2024 14:30 +05:30", want: utc(2024, 3, 15, 9, 0, 0)},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, tt.order, tt.zone)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// "0001 1 1" is the zero time.Time, which stands for no time (found by FuzzEventsCSV).
	for _, bad := range []string{"", "soon", "2024", "2024-13-01", "15/03/2024 25:00", "15/03/2024 14:30 pm", "123", "2024-03-15T14:30:00 Mars", "0001 1 1", "0001-01-01T00:00:00Z"} {
		if got, err := ParseTime(bad, profile.DMY, nil); !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseTime(%q) = %v, %v; want ErrBadTime", bad, got, err)
		}
	}
}

func TestEventMappingJSON(t *testing.T) {
	m := EventMapping{Name: "orders", Source: "shop", Columns: map[string]EventField{"Kunde": EventRecordKey, "Betrag": EventAmount, "Filiale": "attr:store"},
		DecimalComma: true, DefaultCurrency: "EUR", DateOrder: profile.DMY, TimeZone: "UTC"}
	data, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back EventMapping
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	if back.Columns["Betrag"] != EventAmount || !back.DecimalComma || back.DefaultCurrency != "EUR" || back.Name != "orders" {
		t.Fatalf("round trip %+v", back)
	}
	evs, _, fatal, _ := readEvents(t, "Kunde;Betrag;Datum;Filiale\nK1;1.234,50;15.03.2024;Mitte\n", back, Options{Comma: ';'})
	if fatal != nil || len(evs) != 1 || evs[0].Amount != 1234.5 || evs[0].Attrs["store"] != "Mitte" || evs[0].Currency != "EUR" {
		t.Fatalf("events %+v %v", evs, fatal)
	}
	if err := back.UnmarshalJSON([]byte(`{"source":"s","colums":{}}`)); err == nil {
		t.Fatal("unknown key accepted")
	}
}
