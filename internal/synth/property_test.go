package synth

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/unifyhq/unify/profile"
	"pgregory.net/rapid"
)

// drawConfig draws a small random but valid configuration.
func drawConfig(t *rapid.T) Config {
	cfg := DefaultConfig()
	cfg.Seed = rapid.Uint64().Draw(t, "seed")
	cfg.Records = 0
	switch rapid.IntRange(0, 2).Draw(t, "limit") {
	case 0:
		cfg.Records = rapid.IntRange(1, 150).Draw(t, "records")
	case 1:
		cfg.People = rapid.IntRange(1, 60).Draw(t, "people")
	default:
		cfg.Records = rapid.IntRange(1, 150).Draw(t, "records")
		cfg.People = rapid.IntRange(1, 60).Draw(t, "people")
	}
	cfg.Years = rapid.IntRange(1, 20).Draw(t, "years")
	all := DefaultSources()
	var srcs []Source
	for _, s := range all {
		if rapid.Bool().Draw(t, "use "+s.Name) {
			s.Weight = rapid.Float64Range(0, 2).Draw(t, "weight "+s.Name)
			s.Duplicates = rapid.Float64Range(0, 0.9).Draw(t, "dups "+s.Name)
			s.Mess = rapid.Float64Range(0, 5).Draw(t, "mess "+s.Name)
			s.Missing = rapid.Float64Range(0, 5).Draw(t, "missing "+s.Name)
			srcs = append(srcs, s)
		}
	}
	if len(srcs) == 0 {
		srcs = all[:1]
	}
	srcs[0].Weight = max(srcs[0].Weight, 0.1)
	cfg.Sources = srcs
	rate := func(name string) float64 { return rapid.Float64Range(0, 1).Draw(t, name) }
	cfg.Mess = Mess{Typo: rate("typo"), Nickname: rate("nick"), Initial: rate("initial"), NameSwap: rate("swap"),
		Case: rate("case"), Spaces: rate("spaces"), Diacritics: rate("diacritics"),
		Transliteration: rate("translit"), PhoneTransposition: rate("phone"), DateSwap: rate("dateswap"),
		DateTypo: rate("datetypo"), Junk: rate("junk"), Missing: rate("missing"), EmailVariant: rate("variant")}
	cfg.HouseholdRate, cfg.TwinRate, cfg.JuniorRate = rate("household"), rate("twin"), rate("junior")
	cfg.NamesakeRate, cfg.MoveRate, cfg.NameChangeRate = rate("namesake"), rate("move"), rate("namechange")
	cfg.SharedEmailRate, cfg.WorkEmailRate, cfg.EnglishNameRate = rate("shared"), rate("work"), rate("english")
	cfg.EventsPerPerson = rapid.Float64Range(0, 12).Draw(t, "events")
	if rapid.Bool().Draw(t, "countries") {
		cfg.Countries = map[string]float64{}
		for _, c := range countries {
			if rapid.Bool().Draw(t, "country "+c.code) {
				cfg.Countries[c.code] = 1
			}
		}
		if len(cfg.Countries) == 0 {
			cfg.Countries["JP"] = 1
		}
	}
	return cfg
}

type collected struct {
	records []Record
	events  []profile.Event
}

func collect(t *rapid.T, cfg Config) (collected, Stats) {
	var c collected
	st, err := Generate(context.Background(), cfg, SinkFuncs{
		RecordFunc: func(r *Record) error {
			cp := *r
			cp.Values = append([]string(nil), r.Values...)
			c.records = append(c.records, cp)
			return nil
		},
		EventFunc: func(e *profile.Event) error {
			c.events = append(c.events, *e)
			return nil
		},
	})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return c, st
}

// TestGenerateInvariants checks, over random configurations, the promises
// of Generate: limits are met exactly, every record has a person, person and
// household IDs are consistent across sources, keys are unique per source,
// values fit the header, events hang off written records within the
// history, flags are consistent with the stream, and output is reproducible.
func TestGenerateInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := drawConfig(t)
		c, st := collect(t, cfg)

		people := map[string]bool{}
		for _, r := range c.records {
			people[r.Person] = true
		}
		switch {
		case cfg.People == 0:
			if len(c.records) != cfg.Records {
				t.Fatalf("%d records, want exactly %d", len(c.records), cfg.Records)
			}
		case cfg.Records == 0:
			if len(people) != cfg.People {
				t.Fatalf("%d people, want exactly %d", len(people), cfg.People)
			}
		default:
			if len(c.records) > cfg.Records || len(people) > cfg.People ||
				len(c.records) < cfg.Records && len(people) < cfg.People {
				t.Fatalf("%d records of %d people; limits %d and %d", len(c.records), len(people), cfg.Records, cfg.People)
			}
		}
		if st.Records != len(c.records) || st.Events != len(c.events) || st.People != len(people) {
			t.Fatalf("Stats %+v disagree with the stream (%d records, %d events, %d people)",
				st, len(c.records), len(c.events), len(people))
		}

		cols := map[string]int{}
		for _, s := range cfg.Sources {
			cols[s.Name] = len(s.columns())
		}
		keys := map[profile.Ref]bool{}
		hhOf := map[string]string{}
		seenIn := map[profile.Ref]bool{} // (source, person) seen
		flagCount := make([]int, len(flagNames))
		for _, r := range c.records {
			ref := profile.Ref{Source: r.Source, Key: r.Key}
			if keys[ref] {
				t.Fatalf("key %v written twice", ref)
			}
			keys[ref] = true
			if r.Person == "" || r.Household == "" {
				t.Fatalf("record %v without person or household", ref)
			}
			if hh, ok := hhOf[r.Person]; ok && hh != r.Household {
				t.Fatalf("person %s in households %s and %s", r.Person, hh, r.Household)
			}
			hhOf[r.Person] = r.Household
			n, ok := cols[r.Source]
			if !ok || len(r.Values) != n || r.Values[0] != r.Key || r.Key == "" {
				t.Fatalf("record %v: %d values for source with %d columns", ref, len(r.Values), n)
			}
			for _, v := range r.Values {
				if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\x00") {
					t.Fatalf("record %v: bad value %q", ref, v)
				}
			}
			sp := profile.Ref{Source: r.Source, Key: r.Person}
			if (r.Flags&FlagDuplicate != 0) != seenIn[sp] {
				t.Fatalf("record %v: duplicate flag %v, but person seen before in source: %v",
					ref, r.Flags&FlagDuplicate != 0, seenIn[sp])
			}
			seenIn[sp] = true
			if r.Flags >= flagEnd {
				t.Fatalf("record %v: unknown flag bits %b", ref, r.Flags)
			}
			for i := range flagCount {
				if r.Flags&(1<<i) != 0 {
					flagCount[i]++
				}
			}
		}
		for i, n := range flagCount {
			if st.FlagRecords[i] != n {
				t.Fatalf("Stats.FlagRecords[%s] = %d, stream has %d", flagNames[i], st.FlagRecords[i], n)
			}
		}

		from := cfg.Now.AddDate(-cfg.Years-1, 0, 0)
		orders := map[string]bool{}
		eventIDs := map[profile.Ref]bool{}
		for _, e := range c.events {
			if !keys[e.Record] {
				t.Fatalf("event %s hangs off unwritten record %v", e.ID, e.Record)
			}
			id := profile.Ref{Source: e.Record.Source, Key: e.ID}
			if e.ID == "" || eventIDs[id] {
				t.Fatalf("event ID %q empty or repeated", e.ID)
			}
			eventIDs[id] = true
			if e.Time.After(cfg.Now) || e.Time.Before(from) {
				t.Fatalf("event %s at %v, outside the history ending %v", e.ID, e.Time, cfg.Now)
			}
			switch e.Type {
			case profile.Purchase:
				if e.OrderID == "" || e.Amount <= 0 || len(e.Currency) != 3 {
					t.Fatalf("purchase without order, amount or currency: %+v", e)
				}
				orders[e.Record.Source+"/"+e.OrderID] = true
			case profile.Return:
				if !orders[e.Record.Source+"/"+e.OrderID] || e.Amount <= 0 {
					t.Fatalf("return of unknown order: %+v", e)
				}
			}
			if e.Region == "" || e.Channel == "" {
				t.Fatalf("event without region or channel: %+v", e)
			}
		}

		again, _ := collect(t, cfg)
		if len(again.records) != len(c.records) || len(again.events) != len(c.events) {
			t.Fatal("second run differs in size")
		}
		for i := range c.records {
			a, b := c.records[i], again.records[i]
			if a.Key != b.Key || a.Person != b.Person || a.Flags != b.Flags || strings.Join(a.Values, "\x1f") != strings.Join(b.Values, "\x1f") {
				t.Fatalf("record %d differs between runs", i)
			}
		}
	})
}

func TestPermIsBijection(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Uint64Range(2, 3000).Draw(t, "n")
		p := newPerm(n, rapid.Uint64().Draw(t, "key"))
		seen := make([]bool, n)
		for i := range n {
			v := p.at(i)
			if v >= n || seen[v] {
				t.Fatalf("perm(%d) maps %d to %d (out of range or repeated)", n, i, v)
			}
			seen[v] = true
		}
	})
}

func TestBloomNoFalseNegatives(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := newBloom(100)
		items := rapid.SliceOf(rapid.String()).Draw(t, "items")
		for _, s := range items {
			b.add(s)
		}
		for _, s := range items {
			if !b.has(s) || !b.add(s) {
				t.Fatalf("%q added but not found", s)
			}
		}
	})
}

// TestKeysFormats: generated keys have their documented shapes; loyalty
// numbers pass an independent Luhn check.
func TestKeysFormats(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Records = 3000
	shapes := map[string]func(string) bool{
		"crm":        func(k string) bool { return len(k) == 9 && allDigits(k) },
		"webshop":    func(k string) bool { return len(k) == 9 && k[0] == 'u' },
		"support":    func(k string) bool { return strings.HasPrefix(k, "TCK-") && len(k) == 12 && allDigits(k[4:]) },
		"pos":        func(k string) bool { return len(k) == 12 && allDigits(k) && luhnValid(k) },
		"newsletter": func(k string) bool { return len(k) == 12 },
		"web":        func(k string) bool { return len(k) == 36 && k[14] == '4' && strings.Count(k, "-") == 4 },
	}
	n := 0
	_, err := Generate(context.Background(), cfg, SinkFuncs{RecordFunc: func(r *Record) error {
		if !shapes[r.Source](r.Key) {
			t.Errorf("%s key %q has the wrong shape", r.Source, r.Key)
		}
		n++
		return nil
	}})
	if err != nil || n != cfg.Records {
		t.Fatal(err, n)
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// luhnValid is the textbook check, written independently of luhn.
func luhnValid(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// TestHouseholdModel draws many households directly and checks that the
// hard cases the generator promises occur at about the configured rates.
func TestHouseholdModel(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TwinRate = 0.2
	cfg.JuniorRate = 1
	cfg.NamesakeRate = 0.05
	g := newGenerator(&cfg, SinkFuncs{})
	const n = 8000
	var multi, movers, twins, juniors, changed, shared, sharedWith, landlineShared, namesakes int
	var femPolish, femPolishDiffer, spanish, spanishTwo, english int
	heads := map[string]string{} // name -> household
	for range n {
		h := g.newHousehold()
		if len(h.members) > 1 {
			multi++
			if !h.spans[0].landline.isZero() {
				landlineShared++
			}
		}
		if len(h.spans) > 1 {
			movers++
			for i := 1; i < len(h.spans); i++ {
				if !h.spans[i].from.After(h.spans[i-1].from) {
					t.Fatalf("address spans out of order: %v", h.spans)
				}
			}
		}
		if h.shared != "" {
			shared++
		}
		head := h.members[0]
		key := head.given.native + " " + head.family.masc.native
		if other, ok := heads[key]; ok && other != h.id {
			namesakes++
		}
		heads[key] = h.id
		for i, p := range h.members {
			if p.hh != h || p.id == "" {
				t.Fatal("member not linked to household")
			}
			if p.sharedWith != "" {
				sharedWith++
			}
			if p.suffix == "Jr" {
				juniors++
			}
			if !p.married.masc.isZero() {
				changed++
				if !p.female {
					t.Fatalf("%s changed name at marriage but is not a woman in this model", p.id)
				}
			}
			if p.english != "" {
				english++
			}
			for _, q := range h.members[i+1:] {
				if i >= 2 && p.dob.Equal(q.dob) && p.family.masc.native == q.family.masc.native {
					twins++
					if p.given.native == q.given.native {
						t.Fatalf("twins %s and %s share a given name", p.id, q.id)
					}
				}
			}
			if p.cult.code == "pl" && p.female {
				femPolish++
				if p.family.fem.native != p.family.masc.native {
					femPolishDiffer++
				}
			}
			if p.cult.code == "es" {
				spanish++
				if !p.family2.masc.isZero() {
					spanishTwo++
				}
			}
			if p.dob.After(cfg.Now.AddDate(-16, 0, 0)) {
				t.Fatalf("%s born %v is younger than 16", p.id, p.dob)
			}
		}
	}
	share := func(a int) float64 { return float64(a) / n }
	if s := share(multi); s < cfg.HouseholdRate-0.03 || s > cfg.HouseholdRate+0.03 {
		t.Errorf("multi-person households %.3f, configured %v", s, cfg.HouseholdRate)
	}
	if s := share(movers); s < cfg.MoveRate-0.03 || s > cfg.MoveRate+0.03 {
		t.Errorf("households that moved %.3f, configured %v", s, cfg.MoveRate)
	}
	for name, v := range map[string]int{"twins": twins, "juniors": juniors, "name changes": changed,
		"shared family emails": shared, "partners using the other's email": sharedWith,
		"shared landlines": landlineShared, "namesake heads": namesakes, "English names": english} {
		if v == 0 {
			t.Errorf("no %s in %d households", name, n)
		}
	}
	if femPolish == 0 || float64(femPolishDiffer)/float64(femPolish) < 0.5 {
		t.Errorf("Polish women with feminine surname forms: %d of %d", femPolishDiffer, femPolish)
	}
	if spanish == 0 || spanishTwo != spanish {
		t.Errorf("Spanish people with two surnames: %d of %d", spanishTwo, spanish)
	}
	t.Logf("%d households: %d multi, %d moved, %d twin pairs, %d juniors, %d name changes, %d family emails, %d namesakes",
		n, multi, movers, twins, juniors, changed, shared, namesakes)
}

func TestNameTables(t *testing.T) {
	for code, c := range cultures {
		if (len(c.male) == 0 && c.composeMale == nil) || len(c.family) == 0 {
			t.Errorf("%s: empty tables", code)
		}
		for _, l := range [][]givenName{c.male, c.female} {
			for _, g := range l {
				if g.native == "" || len(g.roman) == 0 || g.roman[0] == "" {
					t.Errorf("%s: bad given name %+v", code, g)
				}
				if c.script == latin && g.roman[0] != g.native {
					t.Errorf("%s: Latin name %q has roman[0] %q", code, g.native, g.roman[0])
				}
			}
		}
		for _, f := range c.family {
			if f.masc.native == "" || f.fem.native == "" || len(f.masc.roman) == 0 || len(f.fem.roman) == 0 {
				t.Errorf("%s: bad family name %+v", code, f)
			}
		}
	}
	if got := polishFem(nameForm{native: "Kowalski", roman: []string{"Kowalski"}}); got.native != "Kowalska" || got.roman[0] != "Kowalska" {
		t.Errorf("polishFem(Kowalski) = %+v", got)
	}
	if got := russianFem(nameForm{native: "Иванов", roman: []string{"Ivanov"}}); got.native != "Иванова" || got.roman[0] != "Ivanova" {
		t.Errorf("russianFem(Ivanov) = %+v", got)
	}
	if got := nicknames["en"]["Robert"]; len(got) == 0 || got[0] != "Bob" {
		t.Errorf("nicknames[en][Robert] = %v", got)
	}
	if got := nicknames["de"]["Maria"]; got != nil {
		t.Errorf("German Maria has nicknames %v from another culture", got)
	}
}

// TestNameConcentration: with the default mix no single family or given
// name dominates (real national maxima are about 1-3%, Korea and Vietnam
// aside, which are small shares of the default mix), while common names
// are common enough for namesakes.
func TestNameConcentration(t *testing.T) {
	cfg := DefaultConfig()
	g := newGenerator(&cfg, SinkFuncs{})
	fam, giv := map[string]int{}, map[string]int{}
	n := 0
	for range 20000 {
		for _, p := range g.newHousehold().members {
			fam[p.family.masc.native]++
			giv[p.given.native]++
			n++
		}
	}
	top := func(m map[string]int) (string, float64) {
		best, k := 0, ""
		for name, c := range m {
			if c > best || c == best && name < k {
				best, k = c, name
			}
		}
		return k, float64(best) / float64(n)
	}
	fk, fs := top(fam)
	gk, gs := top(giv)
	t.Logf("%d people, %d family names (top %s %.2f%%), %d given names (top %s %.2f%%)",
		n, len(fam), fk, 100*fs, len(giv), gk, 100*gs)
	if fs > 0.02 || gs > 0.03 {
		t.Errorf("top family name %s at %.2f%%, top given name %s at %.2f%%", fk, 100*fs, gk, 100*gs)
	}
	if fs < 0.003 || len(fam) < 3000 {
		t.Errorf("family names too flat or too few: top %.2f%%, %d distinct", 100*fs, len(fam))
	}
}
