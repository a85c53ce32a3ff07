package match

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/unifyhq/unify/internal/par"
	"github.com/unifyhq/unify/profile"
)

// BlockingRule generates blocking keys for a record: two records become a
// candidate pair when they share a key under some rule. Several rules are
// OR-ed; a pair produced by more than one rule is still compared once.
type BlockingRule struct {
	// Name identifies the rule in diagnostics.
	Name string
	// Fields lists the fields the keys are built from; training leaves the
	// comparisons of these fields out of this rule's EM session. A field
	// written "id:" stands for every identifier type.
	Fields []profile.Field
	// Keys appends the record's keys for this rule to dst and returns it. A
	// record with no value for the rule's fields has no keys. It must be
	// safe for concurrent use.
	Keys func(p *Prepared, dst []string) []string
	// Contact says the rule's key is a contact point a household shares:
	// a street address, a phone number, an email address. Records that
	// share one are one person or housemates, not strangers, so the
	// single-key cap ([Blocker.MaxSingleKeyBlock]) spares its blocks. Not
	// for keys derived from a contact point (an email's local part, which
	// strangers share).
	Contact bool

	own bool // built here, reading only the prepared form; see Comparison
}

// DefaultBlockingRules returns rules that suit the field vocabulary out of
// the box. Each catches matches the others miss:
//
//   - email: same canonical email address
//   - phone: same last eight digits of a phone number
//   - id: same identifier of the same type
//   - family_phonetic+birth_year: surname sound-alike and year of birth
//   - given_phonetic+birth_date: forename sound-alike and full birth date
//     (survives a changed or mistyped surname)
//   - name_tokens: the same name words in any order (survives swapped
//     given and family names, and full names the parser could not split)
//   - given_initial+postcode: first letter of the forename and postcode
//   - birth_date+postcode: survives changed names
//   - family+locality: surname and town
//   - name_prefixes: the first three letters of both names (survives
//     typos past the third letter in both at once)
//   - family_phonetic+birth_place, given+birth_place: a name and the
//     birth place attribute (see [KnownAttrs]), for registers of people
//     with no address; records without a birth place have no key
//
// Phonetic codes are Double Metaphone; names outside the Latin script,
// which have no code, use the name key itself.
func DefaultBlockingRules() []BlockingRule {
	rules := []BlockingRule{
		{Name: "email", Fields: []profile.Field{profile.FieldEmail}, Contact: true, Keys: func(p *Prepared, dst []string) []string {
			for _, e := range p.emails {
				dst = append(dst, e.addr)
			}
			return dst
		}},
		{Name: "phone", Fields: []profile.Field{profile.FieldPhone}, Contact: true, Keys: func(p *Prepared, dst []string) []string {
			// The last eight digits: an international number and the same
			// number written nationally by a source with no country agree.
			for _, ph := range p.phones {
				d := ph.digits
				if len(d) > 8 {
					d = d[len(d)-8:]
				}
				dst = append(dst, d)
			}
			return dst
		}},
		{Name: "id", Fields: []profile.Field{"id:"}, Keys: func(p *Prepared, dst []string) []string {
			for _, id := range p.identifiers() {
				dst = append(dst, id.Type+":"+id.Value)
			}
			return dst
		}},
		{Name: "family_phonetic+birth_year", Fields: []profile.Field{profile.FieldFamilyName, profile.FieldBirthDate}, Keys: func(p *Prepared, dst []string) []string {
			if p.family == "" || p.dob().IsZero() {
				return dst
			}
			return append(dst, phoneticKey(p.family, &p.familyPh)+"|"+strconv.Itoa(p.dob().Year))
		}},
		{Name: "given_phonetic+birth_date", Fields: []profile.Field{profile.FieldGivenName, profile.FieldBirthDate}, Keys: func(p *Prepared, dst []string) []string {
			if p.given == "" || p.dob().Precision() != 3 {
				return dst
			}
			return append(dst, phoneticKey(p.given, &p.givenPh)+"|"+p.dob().String())
		}},
		{Name: "name_tokens", Fields: []profile.Field{profile.FieldGivenName, profile.FieldFamilyName, profile.FieldFullName}, Keys: func(p *Prepared, dst []string) []string {
			if p.fullName == "" {
				return dst
			}
			return append(dst, p.fullName)
		}},
		{Name: "given_initial+postcode", Fields: []profile.Field{profile.FieldGivenName, profile.FieldPostcode}, Keys: func(p *Prepared, dst []string) []string {
			if p.givenInitial() == "" {
				return dst
			}
			for _, a := range p.addrs {
				if a.postcode != "" {
					dst = append(dst, p.givenInitial()+"|"+a.postcode)
				}
			}
			return dst
		}},
		{Name: "birth_date+postcode", Fields: []profile.Field{profile.FieldBirthDate, profile.FieldPostcode}, Keys: func(p *Prepared, dst []string) []string {
			if p.dob().Precision() != 3 {
				return dst
			}
			for _, a := range p.addrs {
				if a.postcode != "" {
					dst = append(dst, p.dob().String()+"|"+a.postcode)
				}
			}
			return dst
		}},
		{Name: "given_phonetic+family_phonetic", Fields: []profile.Field{profile.FieldGivenName, profile.FieldFamilyName}, Keys: func(p *Prepared, dst []string) []string {
			if p.given == "" || p.family == "" {
				return dst
			}
			return append(dst, phoneticKey(p.given, &p.givenPh)+"|"+phoneticKey(p.family, &p.familyPh))
		}},
		{Name: "birth_date+given_initial", Fields: []profile.Field{profile.FieldBirthDate, profile.FieldGivenName}, Keys: func(p *Prepared, dst []string) []string {
			if p.dob().Precision() != 3 || p.givenInitial() == "" {
				return dst
			}
			return append(dst, p.dob().String()+"|"+p.givenInitial())
		}},
		{Name: "birth_date+family_initial", Fields: []profile.Field{profile.FieldBirthDate, profile.FieldFamilyName}, Keys: func(p *Prepared, dst []string) []string {
			if p.dob().Precision() != 3 || p.family == "" {
				return dst
			}
			for _, c := range p.family {
				return append(dst, p.dob().String()+"|"+string(c))
			}
			return dst
		}},
		{Name: "family_phonetic+locality", Fields: []profile.Field{profile.FieldFamilyName, profile.FieldLocality}, Keys: func(p *Prepared, dst []string) []string {
			if p.family == "" {
				return dst
			}
			for _, a := range p.addrs {
				if a.locality != "" {
					dst = append(dst, phoneticKey(p.family, &p.familyPh)+"|"+a.locality)
				}
			}
			return dst
		}},
		{Name: "name_prefixes", Fields: []profile.Field{profile.FieldGivenName, profile.FieldFamilyName}, Keys: func(p *Prepared, dst []string) []string {
			// The first three letters of each name: survives typos past
			// the third letter in both names at once.
			g, f := prefixRunes(p.given, 3), prefixRunes(p.family, 3)
			if g == "" || f == "" {
				return dst
			}
			return append(dst, g+"|"+f)
		}},
		{Name: "email_local", Fields: []profile.Field{profile.FieldEmail}, Keys: func(p *Prepared, dst []string) []string {
			for _, e := range p.emails {
				dst = append(dst, e.local)
			}
			return dst
		}},
		{Name: "house_number+street", Fields: []profile.Field{profile.FieldHouseNumber, profile.FieldStreet}, Contact: true, Keys: func(p *Prepared, dst []string) []string {
			for _, a := range p.addrs {
				if a.house != "" && a.street != "" {
					dst = append(dst, a.house+"|"+a.street)
				}
			}
			return dst
		}},
		{Name: "given+locality", Fields: []profile.Field{profile.FieldGivenName, profile.FieldLocality}, Keys: func(p *Prepared, dst []string) []string {
			if p.given == "" {
				return dst
			}
			for _, a := range p.addrs {
				if a.locality != "" {
					dst = append(dst, p.given+"|"+a.locality)
				}
			}
			return dst
		}},
		{Name: "family+locality", Fields: []profile.Field{profile.FieldFamilyName, profile.FieldLocality}, Keys: func(p *Prepared, dst []string) []string {
			if p.family == "" {
				return dst
			}
			for _, a := range p.addrs {
				if a.locality != "" {
					dst = append(dst, p.family+"|"+a.locality)
				}
			}
			return dst
		}},
		// A birth place (match.KnownAttrs) does for registers of people what
		// the town does for addresses; records without one have no key.
		{Name: "family_phonetic+birth_place", Fields: []profile.Field{profile.FieldFamilyName, birthPlaceField}, Keys: func(p *Prepared, dst []string) []string {
			if bp := p.attr(birthPlaceField); p.family != "" && bp != "" {
				dst = append(dst, phoneticKey(p.family, &p.familyPh)+"|"+bp)
			}
			return dst
		}},
		{Name: "given+birth_place", Fields: []profile.Field{profile.FieldGivenName, birthPlaceField}, Keys: func(p *Prepared, dst []string) []string {
			if bp := p.attr(birthPlaceField); p.given != "" && bp != "" {
				dst = append(dst, p.given+"|"+bp)
			}
			return dst
		}},
	}
	for i := range rules {
		rules[i].own = true
	}
	return rules
}

func phoneticKey(key string, ph *phonetic) string {
	if ph.dm1 != [4]byte{} {
		return code(ph.dm1[:])
	}
	return key
}

// PairMode says which record pairs are candidates.
type PairMode int

const (
	// LinkAndDedupe compares any two records, within and across sources.
	LinkAndDedupe PairMode = iota
	// LinkOnly compares only records of different sources.
	LinkOnly
	// DedupeOnly compares only records of the same source.
	DedupeOnly
)

// Blocker generates candidate pairs from blocking rules. It is safe for
// concurrent use once built.
type Blocker struct {
	Rules []BlockingRule
	// MaxBlockSize caps the records sharing one key. A larger block (a junk
	// value shared by thousands) is skipped and reported in the
	// diagnostics, never silently expanded into millions of pairs; its
	// records are still paired by the other rules. Zero means
	// DefaultMaxBlockSize.
	MaxBlockSize int
	// MaxSingleKeyBlock caps the block in which two records that share only
	// that one key are compared. Two records that share two or more keys
	// (a name and a town, say, or a phone and an email) are compared in any
	// block up to MaxBlockSize; two that share only a common first name and
	// town, in a block of 60, are not. Such pairs are nearly all strangers,
	// and they are most of the pairs of a large population. Blocks of a
	// rule on a contact point ([BlockingRule.Contact]) are spared: records
	// that share one are a household or one person, not strangers, and a
	// household of six in two sources makes a block of 12. Zero means
	// DefaultMaxSingleKeyBlock; a negative value turns the cap off. It
	// applies to candidate pairs (scoring, [Blocker.Block]); training still
	// reads every blocked pair, so the model does not depend on it.
	MaxSingleKeyBlock int
	Mode              PairMode
}

// DefaultMaxSingleKeyBlock is the cap when Blocker.MaxSingleKeyBlock is 0.
// Measured on synthetic data with ground truth (BENCHMARKS.md): at a million
// records, pairs that share one key in a block of more than 10 records are
// 69% of the candidate pairs and hold 1.1% of the true pairs (0.6% of those
// the model links); FEBRL and fake_1000 have too few records for blocks
// that large to matter. The cap slows the growth of candidate pairs per
// record with the population: from 100,000 to 1,000,000 records they grow
// from 2.7 to 6.1 with it, from 5.0 to 19.5 without it. F1 at 300,000 and
// 1,000,000 records is unchanged (precision rises as much as recall falls);
// 20 and no cap gave the same F1 at 300,000 records.
const DefaultMaxSingleKeyBlock = 10

// Caps returns the block size cap and the single-key block cap in use,
// defaults applied; the single-key cap is 0 when it is turned off. Hosts
// that pair records themselves (an incremental add, an explanation) use
// them to decide as batch blocking does.
func (b *Blocker) Caps() (maxBlock, singleKey int) {
	maxBlock = b.MaxBlockSize
	if maxBlock <= 0 {
		maxBlock = DefaultMaxBlockSize
	}
	return maxBlock, b.singleKeyCap()
}

// SingleKeyCapped reports whether the single-key block cap applies to the
// block of key, one of the keys [Blocker.Keys] returns: false for a key of
// a [BlockingRule.Contact] rule. Hosts that pair records themselves use it
// with [Blocker.Caps], as batch blocking does.
func (b *Blocker) SingleKeyCapped(key string) bool {
	name, _, ok := strings.Cut(key, "\x1f")
	if !ok {
		return true
	}
	for i := range b.Rules {
		// Contact first: most rules are not, and this runs for every key of
		// an incremental add.
		if b.Rules[i].Contact && b.Rules[i].Name == name {
			return false
		}
	}
	return true
}

// contactRule reports whether a rule's fields include a household's
// contact point, its key or a part of it (an email's local part carries
// the name): training sessions of such rules leave the family name out
// (see excludedBy).
func contactRule(fields []profile.Field) bool {
	return slices.ContainsFunc(fields, func(f profile.Field) bool {
		return f == profile.FieldStreet || f == profile.FieldHouseNumber || f == profile.FieldEmail || f == profile.FieldPhone
	})
}

// singleKeyCap returns the single-key block cap in use, or 0 for none.
func (b *Blocker) singleKeyCap() int {
	switch {
	case b.MaxSingleKeyBlock < 0:
		return 0
	case b.MaxSingleKeyBlock == 0:
		return DefaultMaxSingleKeyBlock
	}
	return b.MaxSingleKeyBlock
}

// DefaultMaxBlockSize is the block size cap when Blocker.MaxBlockSize is 0.
// A block of 100 records already yields 4,950 pairs, nearly all of them
// strangers who share a common value (a first name in a big city); the
// people in it still meet through their other keys. Measured on synthetic
// data: at a million records, a cap of 100 instead of 1,000 cut the time
// to score and cluster by a third and peak memory from 20 to 13.5 GB, with
// slightly better F1; FEBRL and fake_1000 have no block that large.
const DefaultMaxBlockSize = 100

// Diagnostics describes what blocking produced, per rule and overall.
type Diagnostics struct {
	Records int `json:"records"`
	// Pairs is the number of distinct candidate pairs.
	Pairs int64 `json:"pairs"`
	// PossiblePairs is the number of pairs without blocking (for the pair
	// mode).
	PossiblePairs int64 `json:"possible_pairs"`
	// ReductionRatio is 1 - Pairs/PossiblePairs.
	ReductionRatio float64      `json:"reduction_ratio"`
	Rules          []RuleReport `json:"rules"`
}

// RuleReport describes one blocking rule's output.
type RuleReport struct {
	Name   string `json:"name"`
	Keys   int    `json:"keys"`   // distinct keys
	Blocks int    `json:"blocks"` // keys shared by two or more records
	// Pairs counts pairs this rule produced that no earlier rule had.
	Pairs int64 `json:"pairs"`
	// SingleKeyPairs counts pairs that share only this rule's key, in a
	// block over [Blocker.MaxSingleKeyBlock]: not compared. Zero for
	// training's pass, which reads them.
	SingleKeyPairs int64 `json:"single_key_pairs,omitempty"`
	// Largest lists the biggest blocks, largest first.
	Largest []BlockReport `json:"largest,omitempty"`
	// Skipped lists blocks over the size cap, which were not expanded.
	Skipped        []BlockReport `json:"skipped,omitempty"`
	SkippedRecords int           `json:"skipped_records,omitempty"`
}

// BlockReport names one block and its size.
type BlockReport struct {
	Key  string `json:"key"`
	Size int    `json:"size"`
}

// blocked is the result of indexing records under every rule.
type blocked struct {
	recs []*Prepared
	// keys[keyOff[i]:keyOff[i+1]] holds record i's blocking keys that
	// another record shares (in blocks that were not skipped), each as
	// its rule's index in the top 8 bits over 56 bits of the key's hash,
	// sorted: by rule, then hash. One flat array, because checking whether
	// an earlier rule produced a pair reads the keys of two random records
	// for every candidate pair.
	keys   []uint64
	keyOff []int32
	blocks [][]block // per rule
	// arena[r] holds the members of rule r's blocks back to back: one
	// allocation per rule, and a block is 16 bytes rather than a slice.
	arena [][]int32
	diag  Diagnostics
}

// members returns the records of rule r's block blk, in record order.
func (bl *blocked) members(r int, blk block) []int32 {
	return bl.arena[r][blk.lo:blk.hi:blk.hi]
}

// ruleShift places a rule's index above a key hash in blocked.keys.
const ruleShift = 56

type block struct {
	lo, hi int32 // the members' span in the rule's arena (blocked.members)
	// key is the block's key as blocked.keys holds it (rule-tagged hash).
	key uint64
}

var blockSeed = maphash.MakeSeed()

// index builds the blocks for recs.
func (b *Blocker) index(recs []*Prepared) *blocked {
	maxSize := b.MaxBlockSize
	if maxSize <= 0 {
		maxSize = DefaultMaxBlockSize
	}
	if len(b.Rules) > 1<<(64-ruleShift) {
		panic(fmt.Sprintf("match: %d blocking rules; at most %d", len(b.Rules), 1<<(64-ruleShift)))
	}
	bl := &blocked{recs: recs, blocks: make([][]block, len(b.Rules)), arena: make([][]int32, len(b.Rules))}
	bl.diag.Records = len(recs)
	// An entry holds a key's hash, not the key: blocks group by hash, and
	// a million keys held through the sort cost tens of megabytes when
	// training's memory peaks. The few keys reports name are derived
	// again from a member record.
	type entry struct {
		h   uint64
		rec int32
	}
	// Rules are independent: each builds its blocks on its own goroutine,
	// GOMAXPROCS at a time, reusing that goroutine's buffers.
	reps := make([]RuleReport, len(b.Rules))
	type scratch struct {
		buf     []string
		entries []entry
	}
	scr := make([]scratch, par.Workers(len(b.Rules)))
	par.Do(len(b.Rules), func(w, r int) {
		if scr[w].entries == nil {
			// Most rules give a record one key or none: room for that
			// spares growing a list of a million entries from nothing.
			scr[w].entries = make([]entry, 0, len(recs)+len(recs)/4)
		}
		buf, entries := scr[w].buf, scr[w].entries[:0]
		defer func() { scr[w].buf, scr[w].entries = buf, entries }()
		rule := b.Rules[r]
		for i, p := range recs {
			buf = rule.Keys(p, buf[:0])
			for _, k := range buf {
				entries = append(entries, entry{h: maphash.String(blockSeed, k), rec: int32(i)})
			}
		}
		slices.SortFunc(entries, func(x, y entry) int {
			if c := cmp.Compare(x.h, y.h); c != 0 {
				return c
			}
			return cmp.Compare(x.rec, y.rec)
		})
		// keyOf returns the key of hash h among record rec's keys.
		keyOf := func(rec int32, h uint64) string {
			buf = rule.Keys(recs[rec], buf[:0])
			for _, k := range buf {
				if maphash.String(blockSeed, k) == h {
					return k
				}
			}
			return "" // not reached: h is the hash of one of rec's keys
		}
		rep := RuleReport{Name: rule.Name}
		tag := uint64(r) << ruleShift
		// The members of all of this rule's blocks, back to back:
		// one allocation instead of one per block.
		arena := make([]int32, 0, len(entries))
		for lo := 0; lo < len(entries); {
			hi := lo + 1
			for hi < len(entries) && entries[hi].h == entries[lo].h {
				hi++
			}
			rep.Keys++
			// Distinct members (a record may emit one key twice).
			n, last := 0, int32(-1)
			for _, e := range entries[lo:hi] {
				if e.rec != last {
					n++
					last = e.rec
				}
			}
			switch {
			case n > maxSize:
				rep.Skipped = append(rep.Skipped, BlockReport{Key: keyOf(entries[lo].rec, entries[lo].h), Size: n})
				rep.SkippedRecords += n
			case n > 1:
				// A key no other record has cannot make a pair:
				// only shared keys are kept.
				start := len(arena)
				last = -1
				for _, e := range entries[lo:hi] {
					if e.rec != last {
						arena = append(arena, e.rec)
						last = e.rec
					}
				}
				rep.Blocks++
				bl.blocks[r] = append(bl.blocks[r], block{lo: int32(start), hi: int32(len(arena)), key: tag | entries[lo].h&(1<<ruleShift-1)})
				if len(rep.Largest) < maxLargest || n >= rep.Largest[len(rep.Largest)-1].Size {
					rep.Largest = addLargest(rep.Largest, BlockReport{Key: keyOf(entries[lo].rec, entries[lo].h), Size: n})
				}
			}
			lo = hi
		}
		// Keys no other record shares are most of some rules' keys (an
		// email, a phone), so the arena and the block list are often far
		// larger than what they hold, and the blocks live through training
		// and scoring, when the engine's memory peaks. Copy both to their
		// size when that saves a quarter or more.
		if len(arena) < cap(arena)/4*3 {
			arena = slices.Clone(arena)
		}
		bl.arena[r] = arena
		if len(bl.blocks[r]) < cap(bl.blocks[r])/4*3 {
			bl.blocks[r] = slices.Clone(bl.blocks[r])
		}
		slices.SortFunc(rep.Skipped, func(x, y BlockReport) int { return cmp.Compare(y.Size, x.Size) })
		reps[r] = rep
	})
	bl.diag.Rules = reps
	// Each record's shared keys are the keys of the blocks it is in:
	// grouped by record (a counting sort over the blocks, without copying
	// them into one list first: at a million records that took a second),
	// each record's sorted: by rule, then hash.
	bl.keyOff = make([]int32, len(recs)+1)
	for r, blocks := range bl.blocks {
		for _, blk := range blocks {
			for _, m := range bl.members(r, blk) {
				bl.keyOff[m+1]++
			}
		}
	}
	for i := range recs {
		bl.keyOff[i+1] += bl.keyOff[i]
	}
	bl.keys = make([]uint64, bl.keyOff[len(recs)])
	next := slices.Clone(bl.keyOff[:len(recs)])
	for r, blocks := range bl.blocks {
		for _, blk := range blocks {
			for _, m := range bl.members(r, blk) {
				bl.keys[next[m]] = blk.key
				next[m]++
			}
		}
	}
	for i := range recs {
		slices.Sort(bl.keys[bl.keyOff[i]:bl.keyOff[i+1]])
	}
	return bl
}

// maxLargest is how many of each rule's largest blocks diagnostics list.
const maxLargest = 5

// addLargest adds br to list, which holds the largest blocks so far (size
// descending, then key), keeping at most maxLargest.
func addLargest(list []BlockReport, br BlockReport) []BlockReport {
	before := func(x, y BlockReport) bool { return x.Size > y.Size || x.Size == y.Size && x.Key < y.Key }
	if len(list) == maxLargest && !before(br, list[len(list)-1]) {
		return list
	}
	i := len(list)
	for i > 0 && before(br, list[i-1]) {
		i--
	}
	list = slices.Insert(list, i, br)
	if len(list) > maxLargest {
		list = list[:maxLargest]
	}
	return list
}

// recKeys returns record i's shared keys (see blocked.keys).
func (bl *blocked) recKeys(i int32) []uint64 {
	return bl.keys[bl.keyOff[i]:bl.keyOff[i+1]]
}

// firstSharedKey returns the smallest key that sorted key lists a and b
// (see blocked.keys) both hold, or the largest uint64 when they share none.
func firstSharedKey(a, b []uint64) uint64 {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch x, y := a[i], b[j]; {
		case x == y:
			return x
		case x < y:
			i++
		default:
			j++
		}
	}
	return math.MaxUint64
}

// sharesAnotherKey reports whether sorted key lists a and b share a key
// other than k, which both hold.
func sharesAnotherKey(a, b []uint64, k uint64) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch x, y := a[i], b[j]; {
		case x == y:
			if x != k {
				return true
			}
			i++
			j++
		case x < y:
			i++
		default:
			j++
		}
	}
	return false
}

// wanted reports whether the pair is a candidate under the pair mode.
func (b *Blocker) wanted(x, y *Prepared) bool {
	switch b.Mode {
	case LinkOnly:
		return x.Ref.Source != y.Ref.Source
	case DedupeOnly:
		return x.Ref.Source == y.Ref.Source
	}
	return true
}

// forEachPair calls fn once for every distinct candidate pair (i < j) whose
// block falls in shard (blocks are dealt round-robin over nshards), and
// returns the number of pairs per rule. A pair is attributed to the first
// rule that produces it. With candidates set, pairs over the single-key
// block cap are left out (and counted per rule in thin); training reads
// every blocked pair.
func (b *Blocker) forEachPair(bl *blocked, shard, nshards int, candidates bool, fn func(i, j int32, rule int)) (counts, thin []int64) {
	counts = make([]int64, len(b.Rules))
	thin = make([]int64, len(b.Rules))
	single := 0
	if candidates {
		single = b.singleKeyCap()
	}
	seq := 0
	for r := range b.Rules {
		for _, blk := range bl.blocks[r] {
			seq++
			if seq%nshards != shard {
				continue
			}
			m := bl.members(r, blk)
			capped := single > 0 && len(m) > single && !b.Rules[r].Contact
			for x := 0; x < len(m); x++ {
				for y := x + 1; y < len(m); y++ {
					i, j := m[x], m[y]
					if !b.wanted(bl.recs[i], bl.recs[j]) {
						continue
					}
					// The pair belongs to the first key the two records
					// share: of an earlier rule, or an earlier block of
					// this one (two shared emails).
					ki, kj := bl.recKeys(i), bl.recKeys(j)
					if firstSharedKey(ki, kj) != blk.key {
						continue
					}
					if capped && !sharesAnotherKey(ki, kj, blk.key) {
						thin[r]++
						continue
					}
					counts[r]++
					fn(i, j, r)
				}
			}
		}
	}
	return counts, thin
}

// forEachTrainingPair visits, for training, the pairs of the blocks in
// shard (dealt round-robin over nshards, as forEachPair deals them) that
// the pair mode wants, once for every rule whose session holds them: at the
// first key of that rule the two records share (as forEachRulePair visits
// them). distinct is set when the pair is also attributed to this block
// among all rules (as forEachPair attributes it, every pair counted), so
// one pass gives both the distinct blocked pairs and each rule's own. It
// returns the distinct pairs per rule.
func (b *Blocker) forEachTrainingPair(bl *blocked, shard, nshards int, fn func(i, j int32, rule int, distinct bool)) (counts []int64) {
	counts = make([]int64, len(b.Rules))
	seq := 0
	for r := range b.Rules {
		from := uint64(r) << ruleShift
		for _, blk := range bl.blocks[r] {
			seq++
			if seq%nshards != shard {
				continue
			}
			m := bl.members(r, blk)
			for x := 0; x < len(m); x++ {
				for y := x + 1; y < len(m); y++ {
					i, j := m[x], m[y]
					if !b.wanted(bl.recs[i], bl.recs[j]) {
						continue
					}
					ki, kj := bl.recKeys(i), bl.recKeys(j)
					f := firstSharedKey(ki, kj)
					distinct := f == blk.key
					// Not the first key overall: the rule's session still
					// holds the pair if this is the first key of the rule
					// the two share, which can only be so when their first
					// shared key is an earlier rule's.
					if !distinct && (f >= from || firstSharedKey(keysFrom(ki, from), keysFrom(kj, from)) != blk.key) {
						continue
					}
					if distinct {
						counts[r]++
					}
					fn(i, j, r, distinct)
				}
			}
		}
	}
	return counts
}

// rawRulePairs returns the pairs rule r's blocks hold, whether or not the
// pair mode wants them or an earlier rule produces them too: an upper bound
// of the pairs forEachRulePair visits, without visiting them.
func (b *Blocker) rawRulePairs(bl *blocked, r int) int64 {
	var n int64
	for _, blk := range bl.blocks[r] {
		c := int64(blk.hi - blk.lo)
		n += c * (c - 1) / 2
	}
	return n
}

// keysFrom returns the tail of the sorted key list ks from the first key
// at or above from.
func keysFrom(ks []uint64, from uint64) []uint64 {
	i, _ := slices.BinarySearch(ks, from)
	return ks[i:]
}

// Block indexes recs and returns the candidate pairs as index pairs into
// recs, with diagnostics. It holds every pair in memory; for large inputs
// use [Matcher.Links], which streams.
func (b *Blocker) Block(recs []*Prepared) ([][2]int32, Diagnostics) {
	bl := b.index(recs)
	var pairs [][2]int32
	counts, thin := b.forEachPair(bl, 0, 1, true, func(i, j int32, _ int) {
		pairs = append(pairs, [2]int32{i, j})
	})
	b.finishDiagnostics(bl, counts, thin)
	return pairs, bl.diag
}

func (b *Blocker) finishDiagnostics(bl *blocked, counts, thin []int64) {
	var total int64
	for r, c := range counts {
		bl.diag.Rules[r].Pairs = c
		bl.diag.Rules[r].SingleKeyPairs = thin[r]
		total += c
	}
	bl.diag.Pairs = total
	bl.diag.PossiblePairs = possiblePairs(bl.recs, b.Mode)
	if bl.diag.PossiblePairs > 0 {
		bl.diag.ReductionRatio = 1 - float64(total)/float64(bl.diag.PossiblePairs)
	}
}

func possiblePairs(recs []*Prepared, mode PairMode) int64 {
	n := int64(len(recs))
	all := n * (n - 1) / 2
	if mode == LinkAndDedupe {
		return all
	}
	per := map[string]int64{}
	for _, r := range recs {
		per[r.Ref.Source]++
	}
	var within int64
	for _, c := range per {
		within += c * (c - 1) / 2
	}
	if mode == DedupeOnly {
		return within
	}
	return all - within
}

// Diagnose indexes recs and counts the candidate pairs per rule without
// holding them, so a configuration can be checked before any scoring: pairs
// per rule, largest and skipped blocks, and the reduction ratio.
func (b *Blocker) Diagnose(recs []*Prepared) Diagnostics {
	bl := b.index(recs)
	counts, thin := b.forEachPair(bl, 0, 1, true, func(i, j int32, _ int) {})
	b.finishDiagnostics(bl, counts, thin)
	return bl.diag
}

// prefixRunes returns the first n code points of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
