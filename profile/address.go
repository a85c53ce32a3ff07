package profile

import (
	_ "embed"
	"strings"
)

// AddressNormalizer cleans the parts of postal addresses. The zero value is
// ready to use and it is safe for concurrent use.
//
// Every part gets a display form (Norm, cleaned as by [TextNormalizer] with
// the words as written) and a comparison key (Key) in which the words that
// addresses write in several ways are reduced to one abbreviation:
//
//   - street types, following USPS Publication 28 appendix C1 ("street",
//     "str" -> "st"; "avenue", "av" -> "ave"; "boulevard", "bvd" -> "blvd"),
//     plus the UK and Australian forms (crescent -> "cres", close -> "cl",
//     parade -> "pde", esplanade -> "esp", circuit -> "cct", terrace -> "tce",
//     place -> "pl", grove -> "gr", highway -> "hwy", corner -> "cor",
//     approach -> "app", quay -> "qy", promenade -> "prom"). Where USPS
//     and Australia Post differ (terrace: TER and TCE; grove: GRV and GR)
//     both spellings map to one key;
//   - directions: north -> "n", south -> "s", east -> "e", west -> "w",
//     northeast -> "ne" and so on;
//   - unit designators, following Publication 28 appendix C2 ("apartment"
//     -> "apt", "suite" -> "ste", "building" -> "bldg", "floor" -> "fl")
//     and the UK/AU forms (flat, level -> "lvl", shop);
//   - saint -> "st", mount -> "mt", fort -> "ft";
//   - the street types of other European languages, joined to the key of
//     their English counterpart where there is one: "avenida", "avda" ->
//     "ave"; "calle", "cl", "C/" -> "cl"; "rue", "r." -> "rue"; "piazza",
//     "P.za", "plaza", "pza", "platz" -> "pl"; "ulica", "ul." -> "ul";
//     "aleja", "allee" -> "aly"; "via", "V." -> "via"; "corso", "C.so" ->
//     "corso"; and the types that Germanic languages join to the name,
//     split off: "Gartenstraße", "Gartenstr." and "Garten-Str." all read
//     "garten st", "Storgatan" reads "stor gata";
//   - "#" before a number, as in "Walnut Ln #32", reads as the word "unit".
//
// Every word of street, line 2 and locality keys is looked up, not just the
// last, because "St James Street" and "Saint James St" must compare equal.
// The tables are in address.go.
//
// Postcodes are formatted per country (see [AddressNormalizer.Postcode]) and
// countries are read from names, aliases and codes into ISO 3166-1 alpha-2
// (see [AddressNormalizer.Country]).
type AddressNormalizer struct{}

// Street cleans a street line ("12 North Tullaroop Street").
func (AddressNormalizer) Street(raw string) Text { return abbreviatedStreet(raw) }

// Line2 cleans a second address line ("Apartment 4B", "Level 3").
func (AddressNormalizer) Line2(raw string) Text { return abbreviatedStreet(raw) }

// abbreviatedStreet is abbreviated with the street table, reading "#" before
// a number as the unit designator it is ("#32", "# 4"), which the key would
// otherwise drop with the rest of the punctuation.
func abbreviatedStreet(raw string) Text {
	t := abbreviated(raw, streetWords, true)
	if strings.IndexByte(t.Norm, '#') >= 0 {
		t.Key = abbreviateKey(textKey(unitHash(t.Norm)), streetWords, true)
	}
	return t
}

// unitHash writes "#" followed by a digit (spaces between allowed) as the
// word "unit".
func unitHash(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '#' {
			j := i + 1
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if j < len(s) && isDigit(s[j]) {
				b.WriteString(" unit ")
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Locality cleans a city, town or suburb name ("Mount Lawley").
func (AddressNormalizer) Locality(raw string) Text { return abbreviated(raw, localityWords, false) }

// HouseNumber cleans a house number. Its key drops spaces between digits and
// letters, so "12 A" and "12a" compare equal.
func (AddressNormalizer) HouseNumber(raw string) Text {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}
	}
	k := textKey(n)
	if strings.IndexByte(k, ' ') >= 0 {
		var b strings.Builder
		for i := 0; i < len(k); i++ {
			if k[i] == ' ' && i > 0 && i+1 < len(k) && isDigit(k[i-1]) != isDigit(k[i+1]) {
				continue
			}
			b.WriteByte(k[i])
		}
		k = b.String()
	}
	return Text{Raw: raw, Norm: n, Key: k}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Region cleans a state, province or county. Its key abbreviates the full
// names of US states, Australian states and territories and Canadian
// provinces to their postal codes ("New South Wales" -> "nsw",
// "California" -> "ca"), so both spellings compare equal, and joins dotted
// initials ("N.S.W." -> "nsw").
func (AddressNormalizer) Region(raw string) Text {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}
	}
	k := textKey(n)
	if c, ok := regionCodes[k]; ok {
		k = c
	} else if initials(k) {
		k = strings.ReplaceAll(k, " ", "") // "N.S.W." -> "nsw"
	}
	return Text{Raw: raw, Norm: n, Key: k}
}

// initials reports whether a key is two or more single letters ("n s w").
func initials(k string) bool {
	if len(k) < 3 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if (i%2 == 1) != (k[i] == ' ') {
			return false
		}
	}
	return len(k)%2 == 1
}

// abbreviated cleans raw and abbreviates the words of its key with table;
// street says raw is a street line (see abbreviateKey).
func abbreviated(raw string, table map[string]string, street bool) Text {
	n := cleanText(raw)
	if n == "" {
		return Text{Raw: raw}
	}
	return Text{Raw: raw, Norm: n, Key: abbreviateKey(textKey(n), table, street)}
}

// abbreviateKey replaces each word of a key found in table. For a street
// (street set) it also splits a street type off the end of a compound word
// ("gartenstrasse" -> "garten st", as "Garten-Str." reads) and joins the
// dotted Italian abbreviations that the key split ("p za" -> "pl", as
// "P.za" is piazza). It returns key itself, without allocating, when no word
// changes.
func abbreviateKey(key string, table map[string]string, street bool) string {
	var b strings.Builder
	changed := false
	// put writes the key of the words key[from:to] as the parts, once a
	// word has changed; until then the key is its own output.
	put := func(from, to int, parts ...string) {
		if !changed {
			if len(parts) == 1 && parts[0] == key[from:to] {
				return
			}
			changed = true
			b.Grow(len(key))
			b.WriteString(key[:from])
		} else if from > 0 {
			b.WriteByte(' ')
		}
		for i, p := range parts {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p)
		}
	}
	lead := true // only house numbers so far
	for from := 0; from < len(key); {
		to := len(key)
		if i := strings.IndexByte(key[from:], ' '); i >= 0 {
			to = from + i
		}
		w := key[from:to]
		switch a, ok := table[w]; {
		case ok:
			put(from, to, a)
		case !street:
			put(from, to, w)
		default:
			next := ""
			if len(w) == 1 && to < len(key) {
				next, _, _ = strings.Cut(key[to+1:], " ")
			}
			if next != "" {
				if a := dottedWord(w, next); a != "" {
					put(from, to+1+len(next), a)
					from, lead = to+1+len(next)+1, false
					continue
				}
				if a := typeLetter(w); a != "" && lead {
					put(from, to, a)
					break
				}
			}
			if stem, typ, ok := compoundType(w); ok {
				put(from, to, stem, typ)
			} else {
				put(from, to, w)
			}
		}
		lead = lead && hasDigit(w)
		from = to + 1
	}
	if !changed {
		return key
	}
	return b.String()
}

// typeLetter returns the key of a street type abbreviated to one letter:
// Spanish "C/" (calle), French "R." (rue), Italian "V." (via). They are read
// so only before the name, after nothing but house numbers, since a single
// letter elsewhere is a unit or block ("Building C").
func typeLetter(w string) string {
	switch w {
	case "c":
		return "cl"
	case "r":
		return "rue"
	case "v":
		return "via"
	}
	return ""
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if isDigit(w[i]) {
			return true
		}
	}
	return false
}

// compoundSuffixes are the street types that Germanic languages write joined
// to the name ("Bahnhofstraße", "Kerkstraat", "Storgatan", "Lindenallee"),
// with their keys. Each is long or rare enough at the end of an English word
// that splitting it off does not change an English street's key.
var compoundSuffixes = [...]struct{ suffix, key string }{
	{"strasse", "st"}, {"straat", "st"}, {"str", "st"}, {"allee", "aly"},
	{"platz", "pl"}, {"plein", "pl"}, {"weg", "way"}, {"vej", "way"},
	{"vagen", "way"}, {"gatan", "gata"}, {"gata", "gata"}, {"gasse", "gasse"},
	{"laan", "ln"},
}

// compoundEnds marks the last letters of compoundSuffixes: most words end
// otherwise and need no suffix test.
var compoundEnds = func() (m [256]bool) {
	for _, c := range compoundSuffixes {
		m[c.suffix[len(c.suffix)-1]] = true
	}
	return m
}()

// compoundType splits a street type off the end of a word, leaving a stem
// of at least three letters ("bahnhofstr" -> "bahnhof", "st"). Words of the
// street table are not split: they are street types of their own.
func compoundType(w string) (stem, key string, ok bool) {
	if len(w) < 6 || !compoundEnds[w[len(w)-1]] {
		return "", "", false
	}
	for _, c := range compoundSuffixes {
		if len(w) >= len(c.suffix)+3 && strings.HasSuffix(w, c.suffix) {
			if _, ok := streetWords[w]; ok {
				return "", "", false
			}
			stem = w[:len(w)-len(c.suffix)]
			for i := 0; i < len(stem); i++ {
				if stem[i] < 'a' || stem[i] > 'z' {
					return "", "", false
				}
			}
			return stem, c.key, true
		}
	}
	return "", "", false
}

// dottedWord returns the key of an Italian street type abbreviated with a
// dot inside ("P.za", "C.so"), which the key reads as two words, or "".
func dottedWord(first, rest string) string {
	switch first + " " + rest {
	case "p za", "p zza":
		return "pl"
	case "c so":
		return "corso"
	case "v le":
		return "viale"
	case "l go":
		return "largo"
	case "p le":
		return "piazzale"
	}
	return ""
}

// streetWords maps the words of street and unit lines to their keys. Each
// line is "key variant variant ...".
var streetWords = canonWords(
	// USPS Publication 28, appendix C1: street suffixes.
	"anx annex anex annx", "arc arcade", "ave avenue av aven avenu avn avnue",
	"byu bayou bayoo", "bch beach", "bnd bend", "blf bluff bluf", "btm bottom bot bottm",
	"blvd boulevard boul boulv bvd bvde", "br branch brnch", "brg bridge brdge", "brk brook",
	"byp bypass bypa bypas byps", "cp camp cmp", "cyn canyon canyn cnyn", "cpe cape",
	"cswy causeway causwa", "ctr center centre cent centr cnter cntr", "cir circle circ circl crcl crcle",
	"clf cliff", "clfs cliffs", "clb club", "cmn common", "cor corner cnr", "crse course",
	"ct court crt", "cts courts", "cv cove", "crk creek", "cres crescent crsent crsnt",
	"crst crest", "xing crossing crssng", "dl dale", "dm dam", "dv divide div dvd",
	"dr drive driv drv", "est estate", "expy expressway exp expr express expw", "ext extension extn extnsn",
	"fls falls", "fry ferry frry", "fld field", "flds fields", "frd ford", "frst forest forests",
	"frg forge forg", "frk fork", "ft fort frt", "fwy freeway freewy frway frwy",
	"gdn garden gardn grden grdn", "gdns gardens grdns", "gtwy gateway gatewy gatway gtway",
	"gln glen", "grn green", "gr grove grv grov", "hbr harbor harbour harb harbr hrbor",
	"hvn haven", "hts heights ht", "hwy highway highwy hiway hiwy hway", "hl hill", "hls hills",
	"holw hollow hllw hollows holws", "inlt inlet", "is island islnd", "iss islands",
	"jct junction jction jctn junctn juncton", "knl knoll knol", "lk lake", "lks lakes",
	"lndg landing lndng", "lgt light", "lf loaf", "lck lock", "ldg lodge ldge lodg",
	"loop loops", "mnr manor", "mdw meadow", "mdws meadows medows", "ml mill",
	"msn mission missn mssn", "mtwy motorway", "mt mount mnt", "mtn mountain mntain mntn mountin mtin",
	"nck neck", "orch orchard orchrd", "oval ovl", "opas overpass", "park prk parks",
	"pkwy parkway parkwy pkway pky parkways pkwys", "psge passage", "path paths", "pike pikes",
	"pne pine", "pnes pines", "pln plain", "plns plains", "pt point", "pts points", "prt port", "pr prairie prr", "radl radial rad radiel",
	"rnch ranch ranches rnchs", "rpd rapid", "rpds rapids", "rst rest", "rdg ridge rdge",
	"riv river rvr rivr", "rd road", "rds roads", "rte route", "shl shoal", "shr shore shoar",
	"skwy skyway", "spg spring spng sprng", "sq square sqr sqre squ", "sta station statn stn",
	"stra stravenue", "strm stream streme", "sts streets",
	"smt summit sumit sumitt", "tce terrace ter terr", "trwy throughway", "trce trace traces",
	"trak track tracks trk trks", "trfy trafficway", "trl trail trails trls",
	"tunl tunnel tunel tunls tunnels tunnl", "tpke turnpike trnpk turnpk", "upas underpass",
	"un union", "vly valley vally vlly", "via viaduct vdct viadct", "vw view", "vl ville",
	"vis vista vist vst vsta", "walk walks", "wl well", "wls wells",
	// UK and Australian forms.
	"cl close", "pde parade", "esp esplanade", "cct circuit", "app approach", "qy quay",
	"prom promenade", "bwlk boardwalk", "con concourse", "rdwy roadway", "pwy pathway",
	"ent entrance", "gte gate",
	// Other languages. A key joins words of one meaning across languages
	// ("avenida", "avda" -> "ave"), and a few of other meanings that
	// never meet in one country's addresses (Spanish "calle" and its
	// abbreviation "cl" with the English "close"): keys are only compared
	// with each other, so sharing one costs nothing.
	"ave avenida avda avd avinguda", "blvd bd bld", "cl calle cll", "rue rua",
	"ch chemin chem", "imp impasse", "viale vle", "corso cso", "largo lgo",
	"piazzale ple", "ul ulica", "aly aleja al alameda", "os osiedle", "rd carretera ctra",
	"camino cno", "paseo pso", "trav travessa tv", "gata gatan", "gasse",
	"pl place plaza plz plza pza piazza pzza praca placa plac platz plein",
	"way wy weg vej vagen", "ln lane laan",
	"st street str strt saint strasse straat strada", "aly alley allee ally",
	// Directions.
	"n north", "s south", "e east", "w west", "ne northeast", "nw northwest", "se southeast",
	"sw southwest",
	// USPS Publication 28, appendix C2, and UK/AU unit designators.
	"apt apartment", "bsmt basement", "bldg building", "dept department", "fl floor flr",
	"frnt front", "hngr hangar", "lbby lobby", "lowr lower", "ofc office", "ph penthouse",
	"rm room", "spc space", "ste suite", "trlr trailer", "uppr upper", "unit", "flat flt",
	"lvl level", "shop shp", "villa vlla",
)

// localityWords maps the words of place names.
var localityWords = canonWords("st saint", "mt mount", "ft fort", "pt point")

// canonWords builds a word table from lines "key variant ...".
func canonWords(lines ...string) map[string]string {
	m := map[string]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		for _, w := range f {
			if prev, ok := m[w]; ok && prev != f[0] {
				panic("profile: address word " + w + " maps to both " + prev + " and " + f[0])
			}
			m[w] = f[0]
		}
	}
	return m
}

// regionCodes maps full region names (keys) to postal abbreviations.
var regionCodes = func() map[string]string {
	m := map[string]string{}
	for _, l := range []string{
		// Australia.
		"nsw:new south wales", "vic:victoria", "qld:queensland", "sa:south australia",
		"wa:western australia", "tas:tasmania", "nt:northern territory", "act:australian capital territory",
		// Canada.
		"on:ontario", "qc:quebec", "bc:british columbia", "ab:alberta", "mb:manitoba",
		"sk:saskatchewan", "ns:nova scotia", "nb:new brunswick", "nl:newfoundland and labrador",
		"pe:prince edward island", "yt:yukon", "nt:northwest territories", "nu:nunavut",
		// United States.
		"al:alabama", "ak:alaska", "az:arizona", "ar:arkansas", "ca:california", "co:colorado",
		"ct:connecticut", "de:delaware", "dc:district of columbia", "fl:florida", "ga:georgia",
		"hi:hawaii", "id:idaho", "il:illinois", "in:indiana", "ia:iowa", "ks:kansas",
		"ky:kentucky", "la:louisiana", "me:maine", "md:maryland", "ma:massachusetts",
		"mi:michigan", "mn:minnesota", "ms:mississippi", "mo:missouri", "mt:montana",
		"ne:nebraska", "nv:nevada", "nh:new hampshire", "nj:new jersey", "nm:new mexico",
		"ny:new york", "nc:north carolina", "nd:north dakota", "oh:ohio", "ok:oklahoma",
		"or:oregon", "pa:pennsylvania", "ri:rhode island", "sc:south carolina", "sd:south dakota",
		"tn:tennessee", "tx:texas", "ut:utah", "vt:vermont", "va:virginia", "wa:washington",
		"wv:west virginia", "wi:wisconsin", "wy:wyoming", "pr:puerto rico", "gu:guam",
		"vi:us virgin islands", "as:american samoa", "mp:northern mariana islands",
	} {
		code, name, _ := strings.Cut(l, ":")
		m[name] = code
	}
	return m
}()
