package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
)

// EventField names a part of a [profile.Event] that a column can feed.
// Free attributes are written "attr:<name>".
type EventField string

// Event fields.
const (
	EventRecordKey EventField = "record_key" // the key of the record the event hangs off
	// EventRecordSource is the source of the record the event hangs off,
	// for feeds that hold the events of several sources (a warehouse
	// export with a source-system column). A row's value overrides
	// EventMapping.Source; a row without one takes it.
	EventRecordSource EventField = "record_source"
	EventID           EventField = "id"
	EventTypeField    EventField = "type"
	EventTime         EventField = "time"
	EventChannel      EventField = "channel"
	EventDevice       EventField = "device"
	EventRegion       EventField = "region"
	EventCampaign     EventField = "campaign"
	EventOrderID      EventField = "order_id"
	EventAmount       EventField = "amount"
	EventCurrency     EventField = "currency"
)

var eventFields = []EventField{EventRecordKey, EventRecordSource, EventID, EventTypeField, EventTime, EventChannel, EventDevice,
	EventRegion, EventCampaign, EventOrderID, EventAmount, EventCurrency}

func (f EventField) valid() bool {
	if slices.Contains(eventFields, f) {
		return true
	}
	if name, ok := strings.CutPrefix(string(f), profile.AttrPrefix); ok {
		_, err := profile.ParseField(string(profile.AttrField(name)))
		return err == nil && name == strings.ToLower(name)
	}
	return false
}

// EventMapping says how one event feed's columns become events. Like
// [Mapping], unlisted columns are auto-mapped from their header names
// unless NoAuto is set, and the rest are kept as attributes (or ignored).
type EventMapping struct {
	// Name names the feed in reports and rejects ("shop_orders"); empty
	// means Source.
	Name string
	// Source is the source of the records the events hang off: events are
	// linked to records by (Source, record key). Required, unless Columns
	// maps a column to EventRecordSource; a row's value in that column
	// then overrides Source, and a row with neither is rejected
	// (ErrMissingKey).
	Source string
	// Columns maps column names to event fields. The record key column
	// (EventRecordKey) is required, from here or auto-mapping
	// (customer_id, record_key, ...), and so is the time column
	// (EventTime): from here, a usual name (time, timestamp, created_at,
	// order_date, datum, ...), or else the one column whose name ends in
	// _at, _time, _date, _timestamp, ... (placed_at). A CSV header without
	// one is refused with ErrMapping rather than every row rejected. JSON
	// has no header: the keys seen so far stand for it (the guess waits
	// for a time-like key, and is not made once two have been seen), and
	// a row without a time is rejected (ErrBadTime), the reject naming
	// the candidate keys.
	Columns map[string]EventField
	Ignore  []string
	NoAuto  bool
	// Unmapped: UnmappedAttr (default) keeps other columns in Event.Attrs.
	Unmapped Unmapped
	// DefaultType is the type of events whose row has no type. Empty means:
	// purchase when the row has an amount, otherwise a reject
	// (ErrMissingType).
	DefaultType profile.EventType
	// DefaultCurrency is used when a row has an amount but no currency
	// (column or symbol); ISO 4217 ("EUR").
	DefaultCurrency string
	// DecimalComma reads "1.234,50" and "12,5" as 1234.50 and 12.5. By
	// default a comma followed by exactly three digits groups thousands
	// and any other comma is a decimal separator ("12,50" is 12.5).
	DecimalComma bool
	// DateOrder reads ambiguous numeric dates in the time column.
	DateOrder profile.DateOrder
	// TimeZone is the IANA zone for times written without one; empty
	// means UTC.
	TimeZone string
}

func (m EventMapping) name() string {
	switch {
	case m.Name != "":
		return m.Name
	case m.Source != "":
		return m.Source
	}
	return "events"
}

// Validate checks the mapping without a header.
func (m EventMapping) Validate() error {
	if strings.TrimSpace(m.Source) == "" && !m.hasExplicit(EventRecordSource) {
		return fmt.Errorf("%w: event mapping has no record source (set Source, or map a column to %q)", ErrMapping, EventRecordSource)
	}
	switch m.Unmapped {
	case "", UnmappedAttr, UnmappedIgnore:
	default:
		return fmt.Errorf("%w: unmapped policy %q", ErrMapping, m.Unmapped)
	}
	if _, err := loadZone(m.TimeZone); err != nil {
		return fmt.Errorf("%w: %w", ErrMapping, err)
	}
	if m.DefaultCurrency != "" && !isCurrencyCode(strings.ToUpper(m.DefaultCurrency)) {
		return fmt.Errorf("%w: default currency %q is not a three-letter code", ErrMapping, m.DefaultCurrency)
	}
	seen := map[EventField]string{}
	for c, f := range m.Columns {
		if !f.valid() {
			return fmt.Errorf("%w: column %q: unknown event field %q", ErrMapping, c, f)
		}
		if prev, ok := seen[f]; ok {
			a, b := min(prev, c), max(prev, c)
			return fmt.Errorf("%w: columns %q and %q both map to %s", ErrMapping, a, b, f)
		}
		seen[f] = c
	}
	for _, c := range m.Ignore {
		if _, ok := m.Columns[c]; ok {
			return fmt.Errorf("%w: column %q is both mapped and ignored", ErrMapping, c)
		}
	}
	return nil
}

// eventJSON is EventMapping's JSON form.
type eventJSON struct {
	Name            string            `json:"name,omitempty"`
	Source          string            `json:"source"`
	Columns         map[string]string `json:"columns,omitempty"`
	Ignore          []string          `json:"ignore,omitempty"`
	NoAuto          bool              `json:"no_auto,omitempty"`
	Unmapped        Unmapped          `json:"unmapped,omitempty"`
	DefaultType     string            `json:"default_type,omitempty"`
	DefaultCurrency string            `json:"default_currency,omitempty"`
	DecimalComma    bool              `json:"decimal_comma,omitempty"`
	DateOrder       string            `json:"date_order,omitempty"`
	TimeZone        string            `json:"time_zone,omitempty"`
}

// MarshalJSON writes the mapping with snake_case keys.
func (m EventMapping) MarshalJSON() ([]byte, error) {
	j := eventJSON{Name: m.Name, Source: m.Source, Ignore: m.Ignore, NoAuto: m.NoAuto, Unmapped: m.Unmapped,
		DefaultType: string(m.DefaultType), DefaultCurrency: m.DefaultCurrency, DecimalComma: m.DecimalComma,
		DateOrder: m.DateOrder.String(), TimeZone: m.TimeZone}
	if len(m.Columns) > 0 {
		j.Columns = map[string]string{}
		for c, f := range m.Columns {
			j.Columns[c] = string(f)
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes, strictly.
func (m *EventMapping) UnmarshalJSON(data []byte) error {
	var j eventJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %v", ErrMapping, err)
	}
	order, err := parseDateOrder(j.DateOrder)
	if err != nil {
		return err
	}
	out := EventMapping{Name: j.Name, Source: j.Source, Ignore: j.Ignore, NoAuto: j.NoAuto, Unmapped: j.Unmapped,
		DefaultType: profile.EventType(j.DefaultType), DefaultCurrency: j.DefaultCurrency,
		DecimalComma: j.DecimalComma, DateOrder: order, TimeZone: j.TimeZone}
	if len(j.Columns) > 0 {
		out.Columns = map[string]EventField{}
		for c, f := range j.Columns {
			out.Columns[c] = EventField(f)
		}
	}
	*m = out
	return m.Validate()
}

// eventAliases maps normalized header names to event fields.
var eventAliases = map[string]EventField{}

func eventAlias(f EventField, names ...string) {
	for _, n := range names {
		if _, dup := eventAliases[n]; dup {
			panic("ingest: duplicate event alias " + n)
		}
		eventAliases[n] = f
	}
}

// eventKeyAliases are record-key column names in order of preference.
var eventKeyAliases = []string{"record_key", "customer_id", "cust_id", "customer_key", "customer_number",
	"customer_no", "client_id", "contact_id", "person_id", "user_id", "member_id", "account_id", "rec_id",
	"record_id", "unique_id", "profile_id", "buyer_id", "shopper_id", "kundennummer", "kunden_id", "numero_client",
	"id_cliente", "klantnummer"}

func init() {
	// Not "source": in an event feed it is as often the traffic source
	// (utm_source), which would link events to records that do not exist.
	eventAlias(EventRecordSource, "record_source", "source_system", "source_name", "system_of_record")
	eventAlias(EventID, "event_id", "id", "transaction_id", "txn_id", "interaction_id", "activity_id", "line_id",
		"ticket_id", "case_id")
	eventAlias(EventTypeField, "type", "event", "event_type", "eventtype", "event_name", "action", "activity",
		"activity_type", "interaction_type", "kind", "transaction_type")
	eventAlias(EventTime, "time", "timestamp", "ts", "date", "datetime", "date_time", "created_at", "created",
		"occurred_at", "event_time", "event_date", "order_date", "purchase_date", "transaction_date", "sent_at",
		"received_at", "at", "when", "datum", "zeitpunkt", "zeitstempel", "fecha", "date_heure", "tijdstip")
	eventAlias(EventChannel, "channel", "source_channel", "medium", "utm_medium", "touchpoint")
	eventAlias(EventDevice, "device", "device_type", "platform", "user_agent", "os")
	eventAlias(EventRegion, "region", "country", "country_code", "market", "store_region", "geo", "locale",
		"state")
	eventAlias(EventCampaign, "campaign", "campaign_id", "campaign_name", "utm_campaign")
	eventAlias(EventOrderID, "order_id", "order", "order_number", "order_no", "orderid", "invoice_id",
		"invoice_number", "receipt_id", "receipt_number", "basket_id")
	eventAlias(EventAmount, "amount", "total", "price", "value", "revenue", "order_total", "order_value",
		"total_amount", "grand_total", "net_amount", "gross_amount", "sales", "spend", "subtotal", "betrag", "summe",
		"montant", "importe", "bedrag", "importo")
	eventAlias(EventCurrency, "currency", "currency_code", "ccy", "cur", "waehrung", "wahrung", "devise", "moneda",
		"valuta")
}

// eventColumn is a resolved event column.
type eventColumn struct {
	ColumnReport
	ef EventField
}

// resolveEventHeader resolves event columns; strict checks explicit names
// against the header (CSV).
func resolveEventHeader(m EventMapping, names []string, strict bool) ([]eventColumn, error) {
	cols := make([]eventColumn, len(names))
	used := map[string]bool{}
	taken := map[EventField]string{}
	for i, n := range names {
		c := &cols[i]
		c.Index, c.Name = i, n
		if ef, ok := m.Columns[n]; ok {
			c.ef, c.How, used[n] = ef, HowExplicit, true
			taken[ef] = n
		} else if slices.Contains(m.Ignore, n) {
			c.Role, c.How, used[n] = RoleIgnored, HowExplicit, true
		}
	}
	// Normalized names for explicit entries not matched exactly.
	for c, ef := range m.Columns {
		if used[c] {
			continue
		}
		for i := range cols {
			if cols[i].How == "" && NormalizeHeader(cols[i].Name) == NormalizeHeader(c) {
				cols[i].ef, cols[i].How, used[c] = ef, HowExplicit, true
				taken[ef] = c
				break
			}
		}
	}
	if strict {
		var missing []string
		for c := range m.Columns {
			if !used[c] {
				missing = append(missing, strconv.Quote(c))
			}
		}
		for _, c := range m.Ignore {
			if !used[c] && !slices.ContainsFunc(names, func(n string) bool { return NormalizeHeader(n) == NormalizeHeader(c) }) {
				missing = append(missing, strconv.Quote(c))
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			return nil, fmt.Errorf("%w: %s not in the header (%s)", ErrUnknownColumn, strings.Join(missing, ", "), quoteList(names))
		}
	}
	if !m.NoAuto && taken[EventRecordKey] == "" {
		best, rank := -1, len(eventKeyAliases)
		for i := range cols {
			if cols[i].How != "" {
				continue
			}
			n := strings.ReplaceAll(NormalizeHeader(cols[i].Name), ".", "_")
			if r := slices.Index(eventKeyAliases, n); r >= 0 && r < rank {
				best, rank = i, r
			}
		}
		if best >= 0 {
			cols[best].ef, cols[best].How = EventRecordKey, HowAuto
			taken[EventRecordKey] = cols[best].Name
		}
	}
	for i := range cols {
		if cols[i].How == "" {
			autoEventColumn(m, &cols[i], taken)
		}
	}
	if taken[EventRecordKey] == "" && (strict || !m.hasExplicit(EventRecordKey)) {
		return nil, fmt.Errorf("%w: no record key column among %s: map one to %q", ErrMapping, quoteList(names), EventRecordKey)
	}
	if taken[EventTime] == "" && !m.NoAuto && !m.hasExplicit(EventTime) {
		guessEventTime(cols, taken)
	}
	// Only a CSV header is the feed's whole key set: a JSON object may
	// leave out a null time that the next object has, so there each row
	// without a time is rejected on its own.
	if taken[EventTime] == "" && strict {
		// Every row would be rejected for want of a time: say so once.
		if cands := timeLikeColumns(cols); len(cands) > 1 {
			return nil, fmt.Errorf("%w: no usual time column name, and several columns could be the time (%s): map one to %q",
				ErrMapping, strings.Join(cands, ", "), EventTime)
		}
		return nil, fmt.Errorf("%w: no time column among %s: map one to %q", ErrMapping, quoteList(names), EventTime)
	}
	for i := range cols {
		finishEventColumn(&cols[i])
	}
	return cols, nil
}

// timeSuffixes end the names of columns that hold a time or date:
// placed_at, send_time, ship_date, bestell_datum.
var timeSuffixes = []string{"_at", "_time", "_date", "_timestamp", "_ts", "_datetime", "_datum", "_zeit"}

// timeLikeColumns returns, quoted, the columns left unmapped whose name
// looks like a time's.
func timeLikeColumns(cols []eventColumn) []string {
	var out []string
	for i := range cols {
		if cols[i].How != HowUnmapped {
			continue
		}
		n := strings.ReplaceAll(NormalizeHeader(cols[i].Name), ".", "_")
		for _, suf := range timeSuffixes {
			if strings.HasSuffix(n, suf) && len(n) > len(suf) {
				out = append(out, strconv.Quote(cols[i].Name))
				break
			}
		}
	}
	return out
}

// guessEventTime makes the one unmapped column whose name looks like a
// time's the event time, when the header has no usual time name, and says
// so in the column's note. With several such columns it guesses none: a
// feed's placed_at and shipped_at are different times. For JSON the
// header is the keys seen so far, and the guess is tried again as new
// keys appear, so a first object that leaves the time out does not
// decide the feed; once made, the guess stands.
func guessEventTime(cols []eventColumn, taken map[EventField]string) {
	cands := timeLikeColumns(cols)
	if len(cands) != 1 {
		return
	}
	for i := range cols {
		c := &cols[i]
		if c.How == HowUnmapped && strconv.Quote(c.Name) == cands[0] {
			c.ef, c.How, c.Role = EventTime, HowAuto, ""
			c.Note = "no usual time name in the header; guessed from the name"
			taken[EventTime] = c.Name
			return
		}
	}
}

// hasEventField reports whether a column feeds f.
func hasEventField(cols []eventColumn, f EventField) bool {
	return slices.ContainsFunc(cols, func(c eventColumn) bool { return c.ef == f })
}

// noTimeHint says, for a row without a time, why no column gave one when
// none is read as the time (a JSON feed, whose header is not refused):
// without it every row's reject would say only "no time".
func noTimeHint(m EventMapping, cols []eventColumn) string {
	if m.hasExplicit(EventTime) || hasEventField(cols, EventTime) {
		return ""
	}
	if cands := timeLikeColumns(cols); len(cands) > 1 {
		return fmt.Sprintf(" (no usual time key, and several keys could be the time: %s; map one to %q)",
			strings.Join(cands, ", "), EventTime)
	}
	return fmt.Sprintf(" (no key is read as the time; map one to %q)", EventTime)
}

func (m EventMapping) hasExplicit(f EventField) bool {
	for _, ef := range m.Columns {
		if ef == f {
			return true
		}
	}
	return false
}

func autoEventColumn(m EventMapping, c *eventColumn, taken map[EventField]string) {
	if ef, ok := m.Columns[c.Name]; ok {
		c.ef, c.How = ef, HowExplicit
		return
	}
	if !m.NoAuto {
		n := NormalizeHeader(c.Name)
		ef, ok := eventAliases[n]
		if !ok {
			ef, ok = eventAliases[strings.ReplaceAll(n, ".", "_")]
		}
		if ok && taken[ef] == "" {
			c.ef, c.How = ef, HowAuto
			taken[ef] = c.Name
			return
		}
		if ok {
			c.Note = fmt.Sprintf("%s already comes from %q", ef, taken[ef])
		}
	}
	c.How = HowUnmapped
	if m.Unmapped == UnmappedIgnore {
		c.Role = RoleIgnored
		return
	}
	c.ef = EventField(profile.AttrPrefix + attrName(NormalizeHeader(c.Name), c.Index))
}

func finishEventColumn(c *eventColumn) {
	if c.Role == RoleIgnored {
		return
	}
	switch c.ef {
	case EventRecordKey:
		c.Role = RoleKey
	case "":
		c.Role = RoleIgnored
	default:
		c.Role, c.Field = RoleField, profile.Field(c.ef)
	}
}

// EventSource reads events from one input. Build it with [NewEventSource],
// range over [EventSource.Events] once, then read [EventSource.Report].
// It is not safe for concurrent use.
type EventSource struct {
	r    io.Reader
	m    EventMapping
	o    Options
	zone *time.Location
	cnt  counter
	used bool
}

// NewEventSource checks the mapping and options and returns a source that
// will read r.
func NewEventSource(r io.Reader, m EventMapping, o Options) (*EventSource, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	zone, _ := loadZone(m.TimeZone)
	s := &EventSource{r: o.decoded(r), m: m, o: o, zone: zone}
	s.cnt = counter{rep: Report{Source: m.name(), Format: o.Format}, maxWarn: max(o.MaxWarnings, 0), onWarning: o.OnWarning}
	return s, nil
}

// Report returns a copy of the feed's report so far.
func (s *EventSource) Report() Report { return s.cnt.rep.clone() }

// Events streams the feed's events, with the same protocol as
// [Source.Records]: a *Reject error for a row that could not be an event
// (missing record key, unreadable amount or time, no type, plus the
// format-level cases), after which the stream goes on, and a *ReadError
// that ends it.
//
// Types and channels are lower-cased with spaces and dashes as '_'
// ("Campaign Response" is campaign_response). A negative amount on a
// purchase is read as a return of that amount, as till exports write
// refunds. Amounts accept "12.50", "1,234.50", "1 234,50", "€12.50",
// "12.50 EUR", "(12.50)" (negative) and "-12.50"; a currency symbol or
// code in the amount fills an empty currency (€ EUR, £ GBP, ¥ JPY, ₹ INR,
// ₩ KRW, ₽ RUB, ₺ TRY, ₪ ILS, ₱ PHP, ฿ THB, ₫ VND, ₴ UAH, ₦ NGN; "$" alone
// names no currency). See [ParseTime] for times.
func (s *EventSource) Events(ctx context.Context) iter.Seq2[profile.Event, error] {
	return func(yield func(profile.Event, error) bool) {
		if s.used {
			yield(profile.Event{}, &ReadError{Source: s.m.name(), Err: ErrReused})
			return
		}
		s.used = true
		err := s.run(ctx, yield)
		if err != nil {
			if err == errStopped {
				return
			}
			s.cnt.end(err)
			yield(profile.Event{}, err)
			return
		}
		s.cnt.end(nil)
	}
}

func (s *EventSource) run(ctx context.Context, yield func(profile.Event, error) bool) error {
	name := s.m.name()
	if err := ctx.Err(); err != nil {
		return &ReadError{Source: name, Line: 1, Err: err}
	}
	st, err := openStream(s.r, name, s.o)
	if err != nil {
		return err
	}
	s.cnt.rep.Format = st.format
	var cols []eventColumn
	publish := func() {
		reps := make([]ColumnReport, len(cols))
		for i, c := range cols {
			reps[i] = c.ColumnReport
		}
		s.cnt.rep.Columns = reps
	}
	defer publish()
	if st.format == FormatCSV {
		if cols, err = resolveEventHeader(s.m, st.names, true); err != nil {
			return &ReadError{Source: name, Line: 1, Err: err}
		}
	}
	for {
		row, rej, err := st.next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if rej == nil && len(cols) < len(st.names) {
			if len(cols) == 0 {
				if cols, err = resolveEventHeader(s.m, st.names, false); err != nil {
					return &ReadError{Source: name, Line: row.line, Offset: row.offset,
						Err: fmt.Errorf("%w (looking at the keys of the first object)", err)}
				}
			} else {
				for i := len(cols); i < len(st.names); i++ {
					// JSON objects from different emitters may name one
					// field differently: a later key may feed a field
					// another key already feeds (the first non-empty
					// value in a row wins).
					c := eventColumn{ColumnReport: ColumnReport{Index: i, Name: st.names[i]}}
					autoEventColumn(s.m, &c, map[EventField]string{})
					finishEventColumn(&c)
					cols = append(cols, c)
				}
				if !s.m.NoAuto && !s.m.hasExplicit(EventTime) && !hasEventField(cols, EventTime) {
					taken := map[EventField]string{}
					guessEventTime(cols, taken)
					if c := taken[EventTime]; c != "" {
						finishEventColumn(&cols[slices.IndexFunc(cols, func(col eventColumn) bool { return col.Name == c })])
					}
				}
			}
		}
		var ev profile.Event
		if rej == nil {
			ev, rej = s.build(cols, st, row)
		}
		if rej != nil {
			s.cnt.reject(rej)
			if !yield(profile.Event{}, rej) {
				return errStopped
			}
			continue
		}
		s.cnt.accept(false)
		if !yield(ev, nil) {
			return errStopped
		}
	}
}

func (s *EventSource) build(cols []eventColumn, st *stream, row *rowData) (profile.Event, *Reject) {
	reject := func(col string, reason error) (profile.Event, *Reject) {
		return profile.Event{}, st.reject(row.line, row.offset, col, row.raw, row.rawTrunc, reason)
	}
	ev := profile.Event{Record: profile.Ref{Source: s.m.Source}}
	var amountRaw, amountCol, timeRaw, timeCol, keyCol, sourceCol string
	sourceSet := false
	for _, c := range row.cells {
		if c.col < 0 {
			s.cnt.rep.UntrackedKeys++
			if s.m.Unmapped != UnmappedIgnore && c.val != "" {
				if ev.Attrs == nil {
					ev.Attrs = map[string]string{}
				}
				ev.Attrs[attrName(NormalizeHeader(c.key), 0)] = c.val
			}
			continue
		}
		col := &cols[c.col]
		if col.Role == RoleKey {
			keyCol = col.Name
		}
		if col.ef == EventRecordSource && sourceCol == "" {
			sourceCol = col.Name
		}
		v := strings.TrimSpace(c.val)
		if v == "" || col.Role == RoleIgnored {
			continue
		}
		col.Values++
		// The first non-empty value of a field in a row wins.
		switch col.ef {
		case EventRecordKey:
			setOnce(&ev.Record.Key, v)
		case EventRecordSource:
			if !sourceSet {
				ev.Record.Source, sourceSet = v, true
			}
		case EventID:
			setOnce(&ev.ID, v)
		case EventTypeField:
			if ev.Type == "" {
				ev.Type = profile.EventType(lowerSnake(v))
			}
		case EventTime:
			if timeRaw == "" {
				timeRaw, timeCol = v, col.Name
			}
		case EventChannel:
			if ev.Channel == "" {
				ev.Channel = profile.Channel(lowerSnake(v))
			}
		case EventDevice:
			setOnce(&ev.Device, v)
		case EventRegion:
			setOnce(&ev.Region, v)
		case EventCampaign:
			setOnce(&ev.Campaign, v)
		case EventOrderID:
			setOnce(&ev.OrderID, v)
		case EventAmount:
			if amountRaw == "" {
				amountRaw, amountCol = v, col.Name
			}
		case EventCurrency:
			if ev.Currency == "" {
				cur, ok := currencyCode(v)
				if !ok {
					return reject(col.Name, fmt.Errorf("%w: %q is not an ISO 4217 code or a known symbol", ErrBadCurrency, v))
				}
				ev.Currency = cur
			}
		default:
			if name, ok := strings.CutPrefix(string(col.ef), profile.AttrPrefix); ok {
				if ev.Attrs == nil {
					ev.Attrs = map[string]string{}
				}
				ev.Attrs[name] = c.val
			}
		}
	}
	if ev.Record.Key == "" {
		return reject(keyCol, ErrMissingKey)
	}
	if ev.Record.Source == "" {
		return reject(sourceCol, fmt.Errorf("%w: no record source in the row, and none in the mapping", ErrMissingKey))
	}
	if timeRaw == "" {
		return reject(timeCol, fmt.Errorf("%w: no time%s", ErrBadTime, noTimeHint(s.m, cols)))
	}
	t, err := parseTime(timeRaw, s.m.DateOrder, s.zone)
	if err != nil {
		return reject(timeCol, err)
	}
	ev.Time = t
	if amountRaw != "" {
		amt, cur, err := ParseAmount(amountRaw, s.m.DecimalComma)
		if err != nil {
			return reject(amountCol, err)
		}
		if ev.Currency == "" {
			ev.Currency = cur
		}
		ev.Amount = amt
	}
	if ev.Currency == "" && amountRaw != "" {
		ev.Currency = strings.ToUpper(s.m.DefaultCurrency)
	}
	if ev.Type == "" {
		switch {
		case s.m.DefaultType != "":
			ev.Type = s.m.DefaultType
		case amountRaw != "":
			ev.Type = profile.Purchase
		default:
			return reject("", ErrMissingType)
		}
	}
	if ev.Amount < 0 {
		ev.Amount = -ev.Amount
		if ev.Type == profile.Purchase {
			ev.Type = profile.Return
		}
	}
	return ev, nil
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// lowerSnake lower-cases s and turns runs of spaces, dashes and other
// separators into '_': "Campaign Response" -> "campaign_response".
func lowerSnake(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			under = true
		}
	}
	return b.String()
}

var currencySymbols = map[string]string{
	"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS",
	"₱": "PHP", "฿": "THB", "₫": "VND", "₴": "UAH", "₦": "NGN", "$": "",
}

// currencyCode reads a currency column's value: an ISO 4217 code in any
// case, or a symbol that names one currency (€, £). Anything else ("$",
// which a dozen currencies use, "AU$", "dollars") is not guessed at.
func currencyCode(v string) (string, bool) {
	v = strings.TrimSpace(v)
	up := strings.ToUpper(v)
	if isCurrencyCode(up) {
		return up, true
	}
	if c, ok := currencySymbols[v]; ok && c != "" {
		return c, true
	}
	return "", false
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// ParseAmount reads a money amount as described at [EventSource.Events]
// and returns it with the currency its text names ("" when none). Errors
// wrap ErrBadAmount.
func ParseAmount(raw string, decimalComma bool) (float64, string, error) {
	bad := func(why string) (float64, string, error) {
		return 0, "", fmt.Errorf("%w: %q: %s", ErrBadAmount, raw, why)
	}
	s := strings.TrimSpace(raw)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	cur := ""
	// Currency code or symbol before or after the number.
	takeCur := func(t string) bool {
		if c, ok := currencySymbols[t]; ok {
			if c != "" {
				cur = c
			}
			return true
		}
		if u := strings.ToUpper(t); isCurrencyCode(u) {
			cur = u
			return true
		}
		return false
	}
	for range 2 {
		if s == "" {
			break
		}
		if s[0] == '-' || s[0] == '+' {
			neg = neg != (s[0] == '-')
			s = strings.TrimSpace(s[1:])
			continue
		}
		// A leading symbol or three-letter code.
		if r, size := utf8.DecodeRuneInString(s); !unicode.IsDigit(r) && r != '.' && r != ',' {
			end := size
			if unicode.IsLetter(r) {
				end = strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
				if end < 0 {
					end = len(s)
				}
			}
			if !takeCur(s[:end]) {
				return bad("unexpected text before the number")
			}
			s = strings.TrimSpace(s[end:])
			continue
		}
		break
	}
	// A trailing symbol or code.
	if i := strings.LastIndexFunc(s, func(r rune) bool { return unicode.IsDigit(r) }); i >= 0 && i+1 < len(s) {
		_, size := utf8.DecodeRuneInString(s[i:])
		tail := strings.TrimSpace(s[i+size:])
		if tail != "" {
			// A code glued to the number must be upper case (12EUR, not 12abc).
			glued := tail == s[i+size:]
			if cur != "" || (glued && tail != strings.ToUpper(tail)) || !takeCur(tail) {
				return bad("unexpected text after the number")
			}
			s = strings.TrimSpace(s[:i+size])
		}
	}
	if strings.HasPrefix(s, "-") && !neg {
		neg, s = true, s[1:]
	}
	num, err := normalizeNumber(s, decimalComma)
	if err != nil {
		return bad(err.Error())
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return bad("not a number")
	}
	if neg {
		v = -v
	}
	return v, cur, nil
}

// normalizeNumber turns grouped, comma- or dot-decimal digits into plain
// "1234.50" form.
func normalizeNumber(s string, decimalComma bool) (string, error) {
	if s == "" {
		return "", fmt.Errorf("no digits")
	}
	dec := byte('.')
	if decimalComma {
		dec = ','
	}
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case lastDot >= 0 && lastComma >= 0:
		// Both: the later one is the decimal separator.
		dec = '.'
		if lastComma > lastDot {
			dec = ','
		}
	case lastComma >= 0 && !decimalComma:
		// Only commas: thousands when every group after one has three
		// digits ("1,234", "1,234,567"), else a decimal comma ("12,50").
		if strings.Count(s, ",") > 1 || len(s)-lastComma-1 == 3 {
			dec = '.'
		} else {
			dec = ','
		}
	case lastDot >= 0 && decimalComma:
		if strings.Count(s, ".") > 1 || len(s)-lastDot-1 == 3 {
			dec = ','
		} else {
			dec = '.'
		}
	}
	intPart, frac, hasDec := s, "", false
	if i := strings.LastIndexByte(s, dec); i >= 0 {
		intPart, frac, hasDec = s[:i], s[i+1:], true
	}
	if hasDec && !allDigits(frac) {
		return "", fmt.Errorf("bad decimals %q", frac)
	}
	// Group separators: the other of '.' and ',', spaces, apostrophes.
	var b strings.Builder
	groups := 0
	digitsInGroup := 0
	for i, r := range intPart {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digitsInGroup++
		case r == ',' || r == '.' || r == ' ' || r == '\'' || r == '\u00a0' || r == '\u202f' || r == '’':
			if r == rune(dec) || i == 0 || (groups > 0 && digitsInGroup != 3) || digitsInGroup == 0 {
				return "", fmt.Errorf("misplaced %q", r)
			}
			groups++
			digitsInGroup = 0
		default:
			return "", fmt.Errorf("unexpected %q", r)
		}
	}
	if groups > 0 && digitsInGroup != 3 {
		return "", fmt.Errorf("digit groups must have three digits")
	}
	if b.Len() == 0 && frac == "" {
		return "", fmt.Errorf("no digits")
	}
	if hasDec && frac != "" {
		return b.String() + "." + frac, nil
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("no digits")
	}
	return b.String(), nil
}
