package profile

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Nicknames maps given names to their canonical forms, so that "Bob" and
// "Robert", or "Peggy" and "Margaret", can be recognised as one name. A
// nickname may belong to several canonical names ("Alex" is short for
// Alexander and Alexandra). A Nicknames is immutable after it is built and
// safe for concurrent use.
//
// Names are looked up by their [TextNormalizer] key ("bob", not "Bob").
//
// The default table ([DefaultNicknames]) is two files embedded in this
// package, written for this project from general knowledge of each
// language's naming customs: nicknames.txt, several hundred English given
// names with the diminutives and short forms in common use, and
// nicknames_intl.txt, the common diminutives of German, Dutch, French,
// Spanish, Portuguese, Italian, Polish, Czech, Hungarian, Russian (romanized
// and in Cyrillic) and Greek given names (Kuba for Jakub, Nacho for Ignacio,
// Katya and Катя for Ekaterina and Екатерина). It is not exhaustive; load a
// table of your own with [ParseNicknames].
type Nicknames struct {
	canon map[string][]string // name key -> sorted canonical keys (read-only)
	n     int                 // canonical names
}

var (
	//go:embed nicknames.txt
	nicknamesTxt string
	//go:embed nicknames_intl.txt
	nicknamesIntlTxt string
)

var defaultNicknames = func() *Nicknames {
	// One table: a name's canonical forms are merged across languages, so
	// "alex" is short for English Alexander and Italian Alessandro alike.
	t, err := ParseNicknames(strings.NewReader(nicknamesTxt + "\n" + nicknamesIntlTxt))
	if err != nil {
		panic("profile: embedded nickname tables: " + err.Error())
	}
	return t
}()

// DefaultNicknames returns the embedded table.
func DefaultNicknames() *Nicknames { return defaultNicknames }

// ParseNicknames reads a table in the format of nicknames.txt: one line per
// canonical name, the name, a colon, then its nicknames separated by commas:
//
//	# comment
//	robert: bob, bobby, rob, robbie, bert
//	alexandra: alex, sandra, sandy, lexi
//
// Names are reduced to keys, so case and accents do not matter. A name may
// appear as the canonical form of one line and a nickname in others. Blank
// lines and lines starting with '#' are skipped. Errors name the line.
func ParseNicknames(r io.Reader) (*Nicknames, error) {
	t := &Nicknames{canon: map[string][]string{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		head, tail, ok := strings.Cut(s, ":")
		if !ok {
			return nil, fmt.Errorf("profile: nicknames line %d: missing ':' after the canonical name", line)
		}
		c := textKey(head)
		if c == "" {
			return nil, fmt.Errorf("profile: nicknames line %d: empty canonical name", line)
		}
		if !slices.Contains(t.canon[c], c) {
			t.n++
		}
		t.add(c, c)
		for _, nick := range strings.Split(tail, ",") {
			if strings.TrimSpace(nick) == "" {
				continue
			}
			k := textKey(nick)
			if k == "" {
				return nil, fmt.Errorf("profile: nicknames line %d: nickname %q has no letters", line, nick)
			}
			t.add(k, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("profile: reading nicknames: %w", err)
	}
	for k, v := range t.canon {
		slices.Sort(v)
		t.canon[k] = slices.Compact(v)
	}
	return t, nil
}

func (t *Nicknames) add(name, canonical string) {
	t.canon[name] = append(t.canon[name], canonical)
}

// Canonical returns the canonical names that name (a key, as made by
// [TextNormalizer.Key]) stands for, sorted. A canonical name is among its
// own results. It returns nil for names the table does not know. The slice
// belongs to the table: do not modify it. Lookups do not allocate.
func (t *Nicknames) Canonical(name string) []string {
	if t == nil {
		return nil
	}
	return t.canon[name]
}

// Equivalent reports whether two name keys are the same name or share a
// canonical form ("bob" and "robert", "bob" and "rob"). Note that this is
// not transitive: "alex" is equivalent to both "alexander" and "alexandra",
// which are not equivalent to each other.
func (t *Nicknames) Equivalent(a, b string) bool {
	if a == b {
		return a != ""
	}
	ca, cb := t.Canonical(a), t.Canonical(b)
	// Both lists are short and sorted: merge.
	for i, j := 0, 0; i < len(ca) && j < len(cb); {
		switch strings.Compare(ca[i], cb[j]) {
		case 0:
			return true
		case -1:
			i++
		default:
			j++
		}
	}
	return false
}

// Len returns the number of canonical names in the table.
func (t *Nicknames) Len() int {
	if t == nil {
		return 0
	}
	return t.n
}
