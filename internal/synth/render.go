package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Rendering: a record is the person seen at one moment through one source's
// schema, conventions and mess.

// value categories, for flags.
type category uint8

const (
	catName category = iota
	catAddress
	catOther
)

// missingFactor scales the missing rate per column, by kind and column
// index; 0 means the column is never blanked (keys, times, required
// fields). Values follow what each kind of system typically requires.
var missingFactor = [...][]float64{
	KindCRM:        {0, 0.15, 0.1, 1, 1.2, 1.5, 0.8, 0.6, 1, 0.8, 1, 0},
	KindWebshop:    {0, 0.05, 0, 1.5, 0, 0.3, 0, 0.2, 1, 0.3, 0.5, 0},
	KindSupport:    {0, 0.5, 0.3, 3, 0, 0},
	KindPOS:        {0, 0.5, 1, 1.5, 0, 0},
	KindNewsletter: {0, 0, 4, 0, 0},
	KindWeb:        {0, 0, 0, 0, 0, 0},
}

// phone display style weights by kind: national, national alt, plain,
// international, international alt, E.164.
var phoneStyleW = [...]weighted{
	KindCRM:     newWeighted([]float64{40, 15, 10, 15, 5, 15}),
	KindWebshop: newWeighted([]float64{25, 10, 15, 15, 5, 30}),
	KindSupport: newWeighted([]float64{30, 20, 15, 15, 5, 15}),
	KindPOS:     newWeighted([]float64{20, 5, 60, 5, 0, 10}),
}

// rec carries the state of one record being rendered.
type rec struct {
	g     *generator
	p     *person
	src   *Source
	kind  Kind
	t     time.Time
	mult  float64 // source mess multiplier
	miss  float64 // base missing rate for the source
	flags Flags
	vals  []string

	caps    int // 0 as written, 1 upper, 2 lower
	doFold  bool
	foldAlt map[rune]string
	native  bool
}

func (c *rec) chance(p float64) bool { return chance(c.g.r, p*c.mult) }

// missing decides whether column col is left empty by mess.
func (c *rec) missing(col int) bool {
	f := missingFactor[c.kind][col]
	if f == 0 {
		return false
	}
	if chance(c.g.r, min(c.miss*f, 0.95)) {
		c.flags |= FlagMissing
		return true
	}
	return false
}

// text finishes a free-text value: junk, typo, accents, case, spaces.
func (c *rec) text(v string, cat category, col int) string {
	if v == "" {
		return ""
	}
	if c.missing(col) {
		return ""
	}
	m := &c.g.cfg.Mess
	r := c.g.r
	if c.chance(m.Junk) {
		switch cat {
		case catName:
			c.flags |= FlagJunkName
			return pickStr(r, junkNames)
		case catAddress:
			c.flags |= FlagJunkAddress
			return pickStr(r, junkStreets)
		}
	}
	if c.chance(m.Typo) {
		if t, ok := typo(r, v); ok {
			v = t
			if cat == catName {
				c.flags |= FlagTypoName
			} else {
				c.flags |= FlagTypoAddress
			}
		}
	}
	v = c.style(v)
	if c.chance(m.Spaces) {
		v, _ = spaces(r, v)
		c.flags |= FlagSpaces
	}
	return v
}

// style applies the record-level accent folding and case.
func (c *rec) style(v string) string {
	if c.doFold {
		if f, ok := fold(v, c.foldAlt); ok {
			v = f
			c.flags |= FlagDiacritics
		}
	}
	switch c.caps {
	case 1:
		if u := strings.ToUpper(v); u != v {
			v = u
			c.flags |= FlagCase
		}
	case 2:
		if l := strings.ToLower(v); l != v {
			v = l
			c.flags |= FlagCase
		}
	}
	return v
}

// nameParts returns the name as this record writes it: given (possibly a
// nickname, initial or English name), middle, family and second surname.
func (c *rec) nameParts() (given, middle, family, family2 string) {
	p, r, m := c.p, c.g.r, &c.g.cfg.Mess
	fam, birth := p.familyAt(c.t)
	if birth {
		c.flags |= FlagBirthName
	}
	if c.native {
		c.flags |= FlagNativeScript
		return p.given.native, p.middle.native, fam.native, p.famForm(p.family2).native
	}
	pick := func(f nameForm, pref int) string {
		if f.isZero() {
			return ""
		}
		i := min(pref, len(f.roman)-1)
		if len(f.roman) > 1 && c.chance(m.Transliteration) {
			i = r.IntN(len(f.roman))
		}
		if i != min(pref, len(f.roman)-1) {
			c.flags |= FlagTransliteration // differs from the person's usual spelling
		}
		return f.roman[i]
	}
	given = pick(p.given.nameForm, p.roman)
	middle = pick(p.middle, 0)
	family = pick(fam, 0)
	family2 = pick(p.famForm(p.family2), 0)
	switch {
	case p.english != "" && chance(r, 0.5):
		given = p.english
		c.flags |= FlagEnglishName
	case len(p.given.nicks) > 0 && c.chance(m.Nickname):
		given = pickStr(r, p.given.nicks)
		c.flags |= FlagNickname
	}
	if c.chance(m.Initial) {
		given = initial(r, given)
		c.flags |= FlagInitial
	}
	return given, middle, family, family2
}

// surname joins the surnames as this record keeps them: Spanish and
// Portuguese systems often keep only one of two.
func (c *rec) surname(family, family2 string) string {
	if family2 == "" {
		return family
	}
	switch x := c.g.r.IntN(10); {
	case x < 6:
		return family + " " + family2
	case x < 9:
		c.flags |= FlagPartialName
		if c.p.cult.code == "pt" {
			return family2 // Portuguese: the last surname is the main one
		}
		return family
	default:
		c.flags |= FlagPartialName
		if c.p.cult.code == "pt" {
			return family
		}
		return family2
	}
}

func (c *rec) suffixText() string {
	p, r := c.p, c.g.r
	switch {
	case p.suffix == "Jr" && chance(r, 0.6):
		return pickStr(r, []string{"Jr", "Jr.", "JR", "Junior"})
	case p.suffix == "Sr" && chance(r, 0.2):
		return pickStr(r, []string{"Sr", "Sr.", "SR"})
	}
	return ""
}

// fullName writes a whole name in one field, in the order and form the
// source and the person's culture suggest.
func (c *rec) fullName(col int, allowHonorific bool) string {
	p, r, m := c.p, c.g.r, &c.g.cfg.Mess
	given, middle, family, family2 := c.nameParts()
	fam := c.surname(family, family2)
	if c.native && p.cult.familyFirst {
		if p.cult.code == "ja" && r.IntN(2) == 0 || p.cult.nativeSpace && p.cult.script == latin {
			if middle != "" {
				return c.text(fam+" "+middle+" "+given, catName, col)
			}
			return c.text(fam+" "+given, catName, col)
		}
		if p.cult.script == latin { // Vietnamese: family middle given, spaced
			return c.text(strings.Join(nonEmpty(fam, middle, given), " "), catName, col)
		}
		return c.text(fam+given, catName, col)
	}
	if c.native {
		return c.text(strings.Join(nonEmpty(given, middle, fam), " "), catName, col)
	}
	swap := c.chance(m.NameSwap * swapBoost(p))
	if p.cult.familyFirst && chance(r, 0.2) {
		swap = true // "WANG Wei": family-first order kept in Latin letters
		fam = strings.ToUpper(fam)
	}
	switch {
	case middle == "" || p.cult.code == "vi":
	case chance(r, 0.25):
	case chance(r, 0.35):
		middle = initial(r, middle)
	default:
		middle = ""
	}
	var parts []string
	if allowHonorific && chance(r, 0.04) {
		parts = append(parts, honorific(r, p, c.t))
	}
	if swap {
		c.flags |= FlagNameSwap
		if chance(r, 0.5) {
			return c.text(fam+", "+strings.Join(nonEmpty(given, middle), " "), catName, col)
		}
		parts = append(parts, fam, given, middle)
	} else {
		parts = append(parts, given, middle, fam)
	}
	parts = append(parts, c.suffixText())
	return c.text(strings.Join(nonEmpty(parts...), " "), catName, col)
}

func swapBoost(p *person) float64 {
	if p.cult.familyFirst {
		return 3
	}
	return 1
}

func honorific(r *rand.Rand, p *person, t time.Time) string {
	if r.IntN(8) == 0 {
		return "Dr"
	}
	if !p.female {
		return []string{"Mr", "Mr.", "MR"}[r.IntN(3)]
	}
	if !p.married.masc.isZero() && !t.Before(p.marriedAt) {
		return []string{"Mrs", "Mrs.", "Ms"}[r.IntN(3)]
	}
	return []string{"Ms", "Ms.", "Miss"}[r.IntN(3)]
}

func nonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitName fills first and last name columns.
func (c *rec) splitName(colGiven, colFamily int) {
	p, r, m := c.p, c.g.r, &c.g.cfg.Mess
	given, middle, family, family2 := c.nameParts()
	fam := c.surname(family, family2)
	if middle != "" && !c.native && chance(r, 0.08) {
		given += " " + initial(r, middle)
	}
	if s := c.suffixText(); s != "" && !c.native {
		fam += " " + s
	}
	if c.chance(m.NameSwap * swapBoost(p)) {
		given, fam = fam, given
		c.flags |= FlagNameSwap
	}
	if colGiven >= 0 {
		c.vals[colGiven] = c.text(given, catName, colGiven)
	}
	if colFamily >= 0 {
		c.vals[colFamily] = c.text(fam, catName, colFamily)
	}
}

// email picks the address this record carries and corrupts it.
func (c *rec) email(col int, workShare float64) string {
	p, r, m := c.p, c.g.r, &c.g.cfg.Mess
	e := p.email
	if p.oldEmail != "" && c.t.Before(p.emailAt) {
		e = p.oldEmail
		c.flags |= FlagOldContact
	}
	switch {
	case p.work != "" && (e == "" || chance(r, workShare)):
		e = p.work
	case p.hh.shared != "" && yearsBetween(p.dob, c.t) >= 18 && chance(r, 0.6):
		e = p.hh.shared
		c.flags |= FlagSharedEmail
	case p.sharedWith != "" && chance(r, 0.4):
		e = p.sharedWith
		c.flags |= FlagSharedEmail
	}
	if e == "" {
		return ""
	}
	if c.missing(col) {
		return ""
	}
	if c.chance(m.Junk) {
		c.flags |= FlagJunkEmail
		return pickStr(r, junkEmails)
	}
	if c.chance(m.EmailVariant) {
		if v, ok := emailVariant(r, e); ok {
			e = v
			c.flags |= FlagEmailVariant
		}
	}
	if c.chance(m.Typo) {
		if v, ok := emailTypo(r, e); ok {
			e = v
			c.flags |= FlagTypoEmail
		}
	}
	if c.caps == 1 && chance(r, 0.5) {
		e = strings.ToUpper(e)
		c.flags |= FlagCase
	}
	if c.chance(m.Spaces) {
		e, _ = spaces(r, e)
		c.flags |= FlagSpaces
	}
	return e
}

// phone picks a number (mobile, or the household landline with
// landlineShare), writes it in a style of the kind and corrupts it.
func (c *rec) phone(col int, landlineShare float64) string {
	p, r, m := c.p, c.g.r, &c.g.cfg.Mess
	span, _ := p.hh.spanAt(c.t)
	var ph phone
	switch {
	case !span.landline.isZero() && (p.mobile.isZero() || chance(r, landlineShare)):
		ph = span.landline
		if len(p.hh.members) > 1 {
			c.flags |= FlagSharedPhone
		}
	case !p.oldMobile.isZero() && c.t.Before(p.mobileAt):
		ph = p.oldMobile
		c.flags |= FlagOldContact
	default:
		ph = p.mobile
	}
	if ph.isZero() {
		return ""
	}
	if c.missing(col) {
		return ""
	}
	if c.chance(m.Junk) {
		c.flags |= FlagJunkPhone
		if ph.c.cc == "1" && r.IntN(2) == 0 {
			return pickStr(r, junkNANP)
		}
		return pickStr(r, junkPhones)
	}
	w := &phoneStyleW[c.kind]
	if c.kind >= Kind(len(phoneStyleW)) || w.total == 0 {
		w = &phoneStyleW[KindCRM]
	}
	c.g.buf = ph.format(c.g.buf[:0], phoneStyle(w.pick(r)))
	s := string(c.g.buf)
	if c.chance(m.PhoneTransposition) {
		if t, ok := transposeDigits(r, s); ok {
			s = t
			c.flags |= FlagPhoneTransposed
		}
	}
	if c.chance(m.Spaces) {
		s, _ = spaces(r, s)
		c.flags |= FlagSpaces
	}
	return s
}

// dob writes the birth date in layout, with swaps, typos and placeholders.
func (c *rec) dob(col int, layout string) string {
	if c.missing(col) {
		return ""
	}
	r, m := c.g.r, &c.g.cfg.Mess
	d := c.p.dob
	switch {
	case c.chance(m.Junk):
		c.flags |= FlagJunkDate
		if layout == "2006-01-02" && chance(r, 0.2) {
			return "0000-00-00"
		}
		d = junkDates[r.IntN(len(junkDates))]
	default:
		if c.chance(m.DateSwap) {
			if s, ok := swapDayMonth(d); ok {
				d = s
				c.flags |= FlagDateSwap
			}
		}
		if c.chance(m.DateTypo) {
			if s, ok := dateTypo(r, d, c.g.cfg.Now); ok {
				d = s
				c.flags |= FlagDateTypo
			}
		}
	}
	return d.Format(layout)
}

// address returns the street line(s), city, region, postcode and country of
// the household address in effect at the record's time.
type addrText struct {
	line1, line2, city, region, post, country string
}

func (c *rec) address(unitOnLine2 bool) (addrText, *address) {
	p, r := c.p, c.g.r
	span, moved := p.hh.spanAt(c.t)
	if moved {
		c.flags |= FlagOldAddress
	}
	a := &span.addr
	var out addrText
	out.line1, out.line2 = streetLines(r, a, unitOnLine2)
	ct := a.city
	out.city = ct.name
	if len(ct.alts) > 0 && chance(r, 0.2) {
		out.city = pickStr(r, ct.alts)
	}
	out.region = pickStr(r, ct.regionNames)
	switch ct.country.code {
	case "GB", "FR":
		if chance(r, 0.5) {
			out.region = ""
		}
	case "DE", "IT", "ES", "SE", "PL":
		if chance(r, 0.35) {
			out.region = ""
		}
	}
	out.post = postcodeVariant(r, a.post, ct.country.code)
	out.country = ct.country.names[0]
	if chance(r, 0.35) {
		out.country = pickStr(r, ct.country.names)
	}
	return out, a
}

func postcodeVariant(r *rand.Rand, pc, country string) string {
	x := r.IntN(100)
	switch country {
	case "GB":
		switch {
		case x < 12:
			return strings.ReplaceAll(pc, " ", "")
		case x < 24:
			return strings.ToLower(pc)
		}
	case "CA", "SE":
		if x < 30 {
			return strings.ReplaceAll(pc, " ", "")
		}
		if country == "SE" && x < 38 {
			return "SE-" + pc
		}
	case "US":
		if x < 6 {
			return pc + "-" + strconv.Itoa(1000+r.IntN(9000))
		}
	case "PL":
		if x < 10 {
			return strings.ReplaceAll(pc, "-", "")
		}
	case "JP":
		switch {
		case x < 15:
			return strings.ReplaceAll(pc, "-", "")
		case x < 20:
			return "〒" + pc
		}
	}
	return pc
}

// streetLines writes the street address in the conventions of its address
// book, choosing among full and abbreviated street types.
func streetLines(r *rand.Rand, a *address, unitOnLine2 bool) (line1, line2 string) {
	b := a.book
	name := b.names[a.street]
	k := b.kinds[a.kind]
	form := k.forms[0]
	if x := r.IntN(100); x >= 40 && len(k.forms) > 1 {
		form = k.forms[1+r.IntN(len(k.forms)-1)]
	}
	num := strconv.Itoa(a.number) + a.suffix
	var unit string
	switch b.style {
	case styleUS:
		name = name + " " + form
		line1 = num + " " + name
		if a.unit > 0 {
			u := strconv.Itoa(a.unit)
			if a.unitTag != 0 {
				u += string(a.unitTag)
			}
			unit = []string{"Apt ", "Apt. ", "#", "Unit ", "Suite "}[r.IntN(5)] + u
		}
	case styleGB:
		line1 = num + " " + name + " " + form
		if a.unit > 0 {
			unit = "Flat " + strconv.Itoa(a.unit)
		}
	case styleAU:
		line1 = num + " " + name + " " + form
		if a.unit > 0 {
			if r.IntN(10) < 6 {
				return strconv.Itoa(a.unit) + "/" + line1, ""
			}
			unit = "Unit " + strconv.Itoa(a.unit)
		}
	case styleDE:
		if k.attach {
			if strings.HasPrefix(form, "S") || strings.HasPrefix(form, "W") || strings.HasPrefix(form, "A") ||
				strings.HasPrefix(form, "P") || strings.HasPrefix(form, "G") {
				line1 = name + "-" + form + " " + num // Goethe-Straße style when capitalized
				if r.IntN(2) == 0 {
					line1 = name + form + " " + num
				}
			} else {
				line1 = name + form + " " + num
			}
		}
	case styleFR:
		sep := " "
		if r.IntN(5) == 0 {
			sep = ", "
		}
		if a.suffix != "" {
			num = strconv.Itoa(a.number) + " " + a.suffix
		}
		line1 = num + sep + form + " " + name
	case styleES:
		line1 = form + " " + name + ", " + num
		if r.IntN(3) == 0 {
			line1 = form + " " + name + " " + num
		}
		if a.floor > 0 {
			unit = []string{
				strconv.Itoa(a.floor) + "º " + string(a.unitTag),
				strconv.Itoa(a.floor) + "º" + string(a.unitTag),
				strconv.Itoa(a.floor) + "-" + string(a.unitTag),
				"piso " + strconv.Itoa(a.floor) + " " + string(a.unitTag),
			}[r.IntN(4)]
		}
	case styleIT:
		line1 = form + " " + name + " " + num
		if r.IntN(3) == 0 {
			line1 = form + " " + name + ", " + num
		}
	case stylePL:
		if r.IntN(10) < 3 && form == "ul." {
			line1 = name + " " + num
		} else {
			line1 = form + " " + name + " " + num
		}
		if a.unit > 0 {
			if r.IntN(4) == 0 {
				line1 += " m. " + strconv.Itoa(a.unit)
			} else {
				line1 += "/" + strconv.Itoa(a.unit)
			}
		}
	case styleSE:
		line1 = name + form + " " + num
		if a.unit > 0 {
			unit = "lgh " + strconv.Itoa(a.unit)
		}
	case styleJP:
		nums := strconv.Itoa(a.jp[0]) + "-" + strconv.Itoa(a.jp[1]) + "-" + strconv.Itoa(a.jp[2])
		switch r.IntN(3) {
		case 0:
			line1 = nums + " " + name
		case 1:
			line1 = name + " " + nums
		default:
			line1 = name + " " + strconv.Itoa(a.jp[0]) + "-" + form + " " + strconv.Itoa(a.jp[1]) + "-" + strconv.Itoa(a.jp[2])
		}
		if a.unit > 0 {
			unit = []string{"#", "Room ", ""}[r.IntN(3)] + strconv.Itoa(a.unit)
		}
	}
	if unit == "" {
		return line1, ""
	}
	if unitOnLine2 {
		return line1, unit
	}
	if b.style == styleGB && r.IntN(2) == 0 {
		return unit + ", " + line1, ""
	}
	return line1 + ", " + unit, ""
}

// timestamp layouts of the kinds.
const (
	layoutCRM     = "2006-01-02 15:04:05"
	layoutWebshop = "2006-01-02T15:04:05Z"
	layoutSupport = "2006-01-02 15:04"
	layoutDate    = "2006-01-02"
	layoutWeb     = "2006-01-02T15:04:05.000Z"
)

var supportTopics = []string{"delivery", "billing", "returns", "account", "product", "complaint", "other"}
var deviceTypeW = newWeighted([]float64{45, 45, 10})
var deviceTypes = []string{"desktop", "mobile", "tablet"}

// render fills c.vals for the record.
func (c *rec) render(key string) {
	g, p, r := c.g, c.p, c.g.r
	v := c.vals
	v[0] = key
	switch c.kind {
	case KindCRM:
		c.splitName(1, 2)
		v[3] = c.email(3, 0.15)
		v[4] = c.phone(4, 0.5)
		v[5] = c.dob(5, "2006-01-02")
		a, _ := c.address(false)
		v[6] = c.text(a.line1, catAddress, 6)
		v[7] = c.text(a.city, catAddress, 7)
		v[8] = c.plain(a.region, 8)
		v[9] = c.plain(a.post, 9)
		v[10] = c.plain(a.country, 10)
		upd := c.t.Add(time.Duration(r.Int64N(int64(g.cfg.Now.Sub(c.t)/2 + 1))))
		v[11] = upd.UTC().Format(layoutCRM)
	case KindWebshop:
		v[1] = c.fullName(1, false)
		v[2] = c.email(2, 0)
		v[3] = c.phone(3, 0)
		if chance(r, 0.45) {
			v[4] = c.dob(4, p.hh.c.dateLayout)
		} else {
			v[4] = ""
		}
		a, _ := c.address(true)
		v[5] = c.text(a.line1, catAddress, 5)
		v[6] = c.style(a.line2)
		v[7] = c.text(a.city, catAddress, 7)
		v[8] = c.plain(a.region, 8)
		v[9] = c.plain(a.post, 9)
		v[10] = c.plain(a.country, 10)
		v[11] = c.t.UTC().Format(layoutWebshop)
	case KindSupport:
		if chance(r, 0.15) {
			given, _, _, _ := c.nameParts()
			v[1] = c.text(given, catName, 1) // "Hi, this is John"
		} else {
			v[1] = c.fullName(1, true)
		}
		v[2] = c.email(2, 0.4)
		v[3] = c.phone(3, 0.3)
		v[4] = pickStr(r, supportTopics)
		v[5] = c.t.UTC().Format(layoutSupport)
	case KindPOS:
		v[1] = c.posName(1)
		v[2] = c.phone(2, 0.15)
		_, a := c.address(false)
		v[3] = c.plain(postcodeVariant(r, a.post, a.city.country.code), 3)
		v[4] = "ST-" + pad(uint64(a.city.idx*8+r.IntN(8)), 4)
		v[5] = c.t.UTC().Format(layoutDate)
	case KindNewsletter:
		v[1] = c.email(1, 0)
		given, _, _, _ := c.nameParts()
		if c.chance(g.cfg.Mess.NameSwap * 0.5) {
			_, _, fam, _ := c.nameParts()
			given = fam
			c.flags |= FlagNameSwap
		}
		v[2] = c.text(given, catName, 2)
		v[3] = "1"
		if chance(r, 0.12) {
			v[3] = "0"
		}
		v[4] = strconv.FormatInt(c.t.Unix(), 10)
	case KindWeb:
		v[1] = ""
		if chance(r, 0.55) {
			v[1] = c.email(1, 0.05)
		}
		if v[1] == "" {
			c.flags |= FlagAnonymous
		}
		v[2] = deviceTypes[deviceTypeW.pick(r)]
		v[3] = p.hh.c.code
		if chance(r, 0.05) {
			v[3] = countries[r.IntN(len(countries))].code // VPNs and travel
		}
		v[4] = c.t.UTC().Format(layoutWeb)
		last := c.t.Add(time.Duration(r.Int64N(int64(max(p.until.Sub(c.t), 0)) + 1)))
		v[5] = last.UTC().Format(layoutWeb)
	}
}

// plain finishes a coded value (region, postcode, country): junk for
// postcodes, missing, case.
func (c *rec) plain(v string, col int) string {
	if v == "" || c.missing(col) {
		return ""
	}
	if c.kind == KindCRM && col == 9 || c.kind == KindWebshop && col == 9 || c.kind == KindPOS && col == 3 {
		if c.chance(c.g.cfg.Mess.Junk) {
			c.flags |= FlagJunkAddress
			return pickStr(c.g.r, junkPostcode)
		}
	}
	if c.caps == 2 {
		return strings.ToLower(v)
	}
	return v
}

// posName writes a name the way store tills do: J SMITH, SMITH J,
// SMITH, JOHN or as typed.
func (c *rec) posName(col int) string {
	r := c.g.r
	if c.native {
		return c.fullName(col, false)
	}
	given, _, family, family2 := c.nameParts()
	fam := c.surname(family, family2)
	if given == "" {
		return c.text(fam, catName, col)
	}
	switch r.IntN(5) {
	case 0:
		return c.text(initial(r, given)+" "+fam, catName, col)
	case 1:
		c.flags |= FlagNameSwap
		return c.text(fam+" "+initial(r, given), catName, col)
	case 2:
		return c.text(fam+", "+given, catName, col)
	default:
		return c.text(given+" "+fam, catName, col)
	}
}
